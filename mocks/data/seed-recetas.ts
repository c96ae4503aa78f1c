// Seeded prescriptions and doctors: one prescription per check the gateway's validation makes,
// so tests can name the scenario (SEED_RECETA_IDS.anaPendingBadDoctor) instead of building data.
import type { EstadoValidacion, Medico, Receta, RecetaPdf, RecetaProducto } from './types.js';
import { shiftDays } from './time.js';
import { SEED_CMP, SEED_DNI, SEED_RECETA_IDS } from './seed-ids.js';
import type { SeedRecetaName } from './seed-ids.js';

export function seedMedicos(now: Date): Medico[] {
  const registered = shiftDays(now, -400).toISOString();
  const doctor = (_id: string, cmp: string, nombre: string, especialidad: string, colegiaturaValida: boolean): Medico => ({
    _id, cmp, nombre, especialidad, colegiaturaValida, createdAt: registered, updatedAt: registered, __v: 0,
  });
  return [
    doctor('6717b0c1d2e3f4a5b6c7d801', SEED_CMP.rosaSalas, 'Dra. Rosa Salas', 'Medicina general', true),
    doctor('6717b0c1d2e3f4a5b6c7d802', SEED_CMP.miguelPaz, 'Dr. Miguel Paz', 'Pediatria', true),
    doctor('6717b0c1d2e3f4a5b6c7d803', SEED_CMP.jorgeRuizInvalid, 'Dr. Jorge Ruiz', 'Cardiologia', false),
  ];
}

interface RecetaSpec {
  dni: string;
  cmp: string;
  daysAgo: number;
  productos: RecetaProducto[];
  estado: EstadoValidacion;
}

const ANA = SEED_DNI.ana;
const LUIS = SEED_DNI.luis;
const UNREGISTERED = SEED_DNI.unregistered;

const paracetamol = (cantidad: number): RecetaProducto => ({ id: 1, nombre: 'Paracetamol 500mg', cantidad });

const RECETA_SPECS: Record<SeedRecetaName, RecetaSpec> = {
  anaValidated: { dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: 5, productos: [{ id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2 }], estado: 'validada' },
  anaValidatedExpired: { dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: 60, productos: [{ id: 6, nombre: 'Clonazepam 2mg', cantidad: 1 }], estado: 'validada' },
  anaValidatedAzitro: { dni: ANA, cmp: SEED_CMP.miguelPaz, daysAgo: 10, productos: [{ id: 8, nombre: 'Azitromicina 500mg', cantidad: 1 }], estado: 'validada' },
  // Names differ from the catalogue only in case: the gateway must compare ignoring case/accents.
  anaPendingValid: {
    dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: 2, estado: 'pendiente',
    productos: [{ id: 3, nombre: 'Amoxicilina 500mg', cantidad: 1 }, { id: 1, nombre: 'paracetamol 500MG', cantidad: 2 }],
  },
  anaPendingBadDoctor: { dni: ANA, cmp: SEED_CMP.jorgeRuizInvalid, daysAgo: 2, productos: [paracetamol(1)], estado: 'pendiente' },
  anaPendingUnknownDoctor: { dni: ANA, cmp: SEED_CMP.unregistered, daysAgo: 2, productos: [paracetamol(1)], estado: 'pendiente' },
  anaPendingNameMismatch: { dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: 2, productos: [{ id: 3, nombre: 'Ibuprofeno 400mg', cantidad: 1 }], estado: 'pendiente' },
  anaPendingUnknownProduct: { dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: 2, productos: [{ id: 999, nombre: 'Producto fantasma', cantidad: 1 }], estado: 'pendiente' },
  anaPendingOld: { dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: 45, productos: [paracetamol(1)], estado: 'pendiente' },
  anaPendingFuture: { dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: -3, productos: [paracetamol(1)], estado: 'pendiente' },
  luisPending: { dni: LUIS, cmp: SEED_CMP.miguelPaz, daysAgo: 1, productos: [{ id: 5, nombre: 'Vitamina C 1g', cantidad: 1 }], estado: 'pendiente' },
  unregisteredPatient: { dni: UNREGISTERED, cmp: SEED_CMP.rosaSalas, daysAgo: 1, productos: [paracetamol(1)], estado: 'pendiente' },
  anaRejected: { dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: 3, productos: [{ id: 2, nombre: 'Ibuprofeno 400mg', cantidad: 1 }], estado: 'rechazada' },
  anaPendingPdfOtherPatient: { dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: 2, productos: [paracetamol(1)], estado: 'pendiente' },
  anaPendingNoPdf: { dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: 2, productos: [paracetamol(1)], estado: 'pendiente' },
  anaPendingUnreadablePdf: { dni: ANA, cmp: SEED_CMP.rosaSalas, daysAgo: 2, productos: [paracetamol(1)], estado: 'pendiente' },
};

/** Where a PDF says something else than its document (only the `validar` generation reads PDFs). */
export function seedRecetaPdfs(): Map<string, RecetaPdf | null> {
  return new Map<string, RecetaPdf | null>([
    [SEED_RECETA_IDS.anaPendingPdfOtherPatient, { pacienteDNI: LUIS }],
    [SEED_RECETA_IDS.anaPendingNoPdf, null],
    [SEED_RECETA_IDS.anaPendingUnreadablePdf, { unreadable: true }],
  ]);
}

/** Mongoose gives each product subdocument an ObjectId of its own: derived here from the receta's. */
const subdocumentId = (recetaId: string, index: number) => `${recetaId.slice(0, 20)}${(0xa000 + index).toString(16)}`;

export function seedRecetas(now: Date): Receta[] {
  return (Object.keys(RECETA_SPECS) as SeedRecetaName[]).map((name) => {
    const spec = RECETA_SPECS[name];
    const emitted = shiftDays(now, -spec.daysAgo);
    // A post-dated prescription was still entered into the system in the past (now at the latest).
    const stored = emitted.getTime() > now.getTime() ? now : emitted;
    return {
      _id: SEED_RECETA_IDS[name],
      pacienteDNI: spec.dni,
      medicoCMP: spec.cmp,
      fechaEmision: emitted.toISOString(),
      productos: spec.productos.map((p, index) => ({ ...p, _id: subdocumentId(SEED_RECETA_IDS[name], index) })),
      estadoValidacion: spec.estado,
      archivoPDF: `https://botica-recetas.s3.us-east-1.amazonaws.com/recetas/${SEED_RECETA_IDS[name]}.pdf`,
      createdAt: stored.toISOString(),
      updatedAt: stored.toISOString(),
      __v: 0,
    };
  });
}
