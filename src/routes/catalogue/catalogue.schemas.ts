import { z } from '@hono/zod-openapi';

/** Optional paging: absent parameters are not sent (the service's defaults: page 1, pagesize 25). */
const Paging = {
  page: z.coerce.number().int('issue.catalogue_page').min(1, 'issue.catalogue_page').max(1_000_000).optional().openapi({ example: 1 }),
  pagesize: z.coerce.number().int().min(1).max(100).optional().openapi({ example: 25 }),
};
const SearchText = z.string().min(1).max(100);

export const PagedQuerySchema = z.object(Paging);
export const ByNameQuerySchema = z.object({ nombre: SearchText.openapi({ example: 'amoxi' }), ...Paging });
export const ByTypeQuerySchema = z.object({ tipo: SearchText.openapi({ example: 'antibiotico' }), ...Paging });
export const ByPrescriptionQuerySchema = z.object({
  requiere_receta: z.enum(['true', 'false'], { error: 'issue.requiere_receta' }).openapi({ example: 'true' }),
  ...Paging,
});
export const LowStockQuerySchema = z.object({
  minimo: z.coerce.number().int().min(0).max(100_000).optional().openapi({ example: 10, description: 'stock below this (the service defaults to 10)' }),
  ...Paging,
});

export const ProductIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'issue.product_id')
    .refine((value) => Number.isSafeInteger(Number(value)), 'issue.product_id')
    .openapi({ param: { name: 'id', in: 'path' }, example: '3' }),
});

export const ProductDocumentSchema = z
  .looseObject({
    id: z.int(),
    nombre: z.string(),
    tipo: z.string(),
    precio: z.number(),
    stock: z.int(),
    requiere_receta: z.boolean(),
  })
  .openapi('Product', {
    example: { id: 3, nombre: 'Amoxicilina 500mg', tipo: 'Antibiotico', precio: 12.5, stock: 40, requiere_receta: true },
  });

export const ProductPageSchema = z
  .looseObject({ total: z.int(), page: z.int(), pagesize: z.int(), productos: z.array(ProductDocumentSchema) })
  .openapi('ProductPage');

export const OfferListSchema = z
  .array(
    z.looseObject({
      id: z.int(),
      fecha_vencimiento: z.string(),
      detalles: z.array(z.looseObject({ producto_id: z.int(), descuento: z.number() })),
    }),
  )
  .openapi('Offers');
