import { z } from 'zod';

/** A purchase as the users service (Spring Boot) stores it; unknown fields pass through. */
export const PurchaseSchema = z.looseObject({
  id: z.number().int(),
  fechaCompra: z.string(),
  usuarioId: z.number().int().nullable(),
  productos: z.array(z.number().int()),
  cantidades: z.array(z.number().int()),
});

/**
 * `GET /api/compras/me` and `/all`: the stored purchases, a bare array (not the gateway's own
 * `PurchaseListSchema` of src/routes/purchases, `{compras: [...]}` with product details).
 */
export const StoredPurchaseListSchema = z.array(PurchaseSchema);

export const UserSchema = z.looseObject({
  dni: z.string(),
  email: z.string().optional(),
  nombre: z.string().optional(),
  apellido: z.string().optional(),
  role: z.string(),
});

export const UserListSchema = z.array(UserSchema);

export type Purchase = z.infer<typeof PurchaseSchema>;
export type User = z.infer<typeof UserSchema>;

/** What login and register answer: the users service's own token (never logged). */
export const IssuedTokenSchema = z.object({ token: z.string().min(1) });

/** `GET`/`PUT /api/user/me`: the caller's profile; every field the service sends is passed on. */
export const ProfileSchema = UserSchema;

/** The service's 400 to a registration whose fields it refused (Spring's validation handler). */
export const RegistrationRefusalSchema = z.looseObject({
  validationErrors: z.record(z.string(), z.unknown()),
});

export type IssuedToken = z.infer<typeof IssuedTokenSchema>;
export type Profile = z.infer<typeof ProfileSchema>;
