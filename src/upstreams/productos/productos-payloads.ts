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

/** A product document for clients: every field the service sends is kept and passed on. */
export const ProductDocumentSchema = z.looseObject(ProductSchema.shape);

/** A catalogue page (`/api/productos/paged`, `/nombre`, `/tipo`, `/receta`, `/stock-bajo`). */
export const ProductPageSchema = z.looseObject({
  total: z.number().int(),
  page: z.number().int(),
  pagesize: z.number().int(),
  productos: z.array(ProductDocumentSchema),
});

export const OfferListSchema = z.array(
  z.looseObject({
    id: z.number().int(),
    fecha_vencimiento: z.string(),
    detalles: z.array(z.looseObject({ producto_id: z.number().int(), descuento: z.number() })),
  }),
);

export type ProductDocument = z.infer<typeof ProductDocumentSchema>;
export type ProductPage = z.infer<typeof ProductPageSchema>;
export type OfferList = z.infer<typeof OfferListSchema>;
