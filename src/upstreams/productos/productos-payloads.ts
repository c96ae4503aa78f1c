import { z } from 'zod';

/** A product as the products service (FastAPI) returns it; extra fields are ignored. */
export const ProductSchema = z.object({
  id: z.number().int(),
  nombre: z.string(),
  tipo: z.string(),
  precio: z.number(),
  stock: z.number().int(),
  requiere_receta: z.boolean(),
});

export type Product = z.infer<typeof ProductSchema>;
