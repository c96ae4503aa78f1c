// Named ids of the seeded records, so tests say which scenario they use rather than a bare id.

export const SEED_DNI = {
  ana: '71234567',
  luis: '72345678',
  admin: '70000001',
  pedro: '73456789',
  unregistered: '79999999',
} as const;

/**
 * Demo passwords of the seeded users (`POST /api/auth/login` with `{"dni"|"email","password"}`);
 * the unregistered DNI has none.
 */
export const SEED_PASSWORDS = {
  admin: 'carla12345',
  ana: 'ana12345',
  luis: 'luis12345',
  pedro: 'pedro12345',
} as const;

/** Internal user ids of the users service (`usuarioId` in purchases); id 2 does not exist. */
export const SEED_USER_IDS = { admin: 1, ana: 3, luis: 4, pedro: 5 } as const;

export const SEED_PRODUCT_IDS = {
  paracetamol: 1,
  ibuprofeno: 2,
  amoxicilina: 3,
  loratadina: 4,
  vitaminaC: 5,
  clonazepam: 6,
  omeprazol: 7,
  azitromicina: 8,
} as const;

export const SEED_TASK_IDS = { anaExecuted: 1, anaPending: 2, luisPending: 3 } as const;

export const SEED_CMP = {
  rosaSalas: 'CMP12345',
  miguelPaz: 'CMP67890',
  jorgeRuizInvalid: 'CMP54321',
  unregistered: 'CMP00000',
} as const;

export const SEED_RECETA_IDS = {
  anaValidated: '6717a1b2c3d4e5f601234567',
  anaValidatedExpired: '6717a1b2c3d4e5f601234568',
  anaValidatedAzitro: '6717a1b2c3d4e5f601234569',
  anaPendingValid: '6717a1b2c3d4e5f60123456a',
  anaPendingBadDoctor: '6717a1b2c3d4e5f60123456b',
  anaPendingUnknownDoctor: '6717a1b2c3d4e5f60123456c',
  anaPendingNameMismatch: '6717a1b2c3d4e5f60123456d',
  anaPendingUnknownProduct: '6717a1b2c3d4e5f60123456e',
  anaPendingOld: '6717a1b2c3d4e5f60123456f',
  anaPendingFuture: '6717a1b2c3d4e5f601234570',
  luisPending: '6717a1b2c3d4e5f601234571',
  unregisteredPatient: '6717a1b2c3d4e5f601234572',
  anaRejected: '6717a1b2c3d4e5f601234573',
  // For the `validar` generation, which reads the PDF: see seedRecetaPdfs.
  anaPendingPdfOtherPatient: '6717a1b2c3d4e5f601234574',
  anaPendingNoPdf: '6717a1b2c3d4e5f601234575',
  anaPendingUnreadablePdf: '6717a1b2c3d4e5f601234576',
} as const;

export type SeedRecetaName = keyof typeof SEED_RECETA_IDS;
