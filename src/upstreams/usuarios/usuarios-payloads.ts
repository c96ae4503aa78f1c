import { z } from 'zod';

/** A purchase as the users service (Spring Boot) stores it; unknown fields pass through. */
export const PurchaseSchema = z.looseObject({
  id: z.number().int(),
  fechaCompra: z.string(),
  usuarioId: z.number().int().nullable(),
  productos: z.array(z.number().int()),
  cantidades: z.array(z.number().int()),
});

export const PurchaseListSchema = z.array(PurchaseSchema);

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
