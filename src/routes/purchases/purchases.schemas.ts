import { z } from '@hono/zod-openapi';
import { IdempotencyKeySchema } from '../shared/idempotency-key.js';

const ProductId = z.int().positive().openapi({ example: 1 });
const MAX_QUANTITY = 1000;
const Quantity = z.int().min(1).max(MAX_QUANTITY).openapi({ example: 2 });

const LineSchema = z.object({ producto_id: ProductId, cantidad: Quantity }).openapi('PurchaseLine');

/** Either `productos: [{producto_id, cantidad}]` or parallel `productos: [ids]` + `cantidades`. */
export const PurchaseBodySchema = z
  .object({
    productos: z
      .array(z.union([LineSchema, ProductId]))
      .min(1)
      .max(100)
      .openapi({ description: '1..100 lines: objects, or product ids with `cantidades` alongside' }),
    cantidades: z.array(Quantity).max(100).optional().openapi({ description: 'Quantities of the parallel form' }),
    datos_adicionales: z
      .record(z.string(), z.unknown())
      .nullish()
      .openapi({ description: 'Accepted for the existing frontend and not forwarded (the users service binds only the lines)' }),
  })
  .superRefine((body, ctx) => {
    const ids = body.productos.filter((item) => typeof item === 'number').length;
    if (ids > 0 && ids < body.productos.length) {
      ctx.addIssue({ code: 'custom', path: ['productos'], message: 'issue.purchase_mixed_forms' });
    } else if (ids > 0 && body.cantidades?.length !== ids) {
      ctx.addIssue({
        code: 'custom',
        path: ['cantidades'],
        message: 'issue.purchase_parallel_lengths',
      });
    } else {
      addSummedQuantityIssues(body, ctx);
    }
  })
  .openapi('PurchaseRequest', {
    example: { productos: [{ producto_id: 1, cantidad: 2 }], datos_adicionales: { metodo_pago: 'tarjeta' } },
  });

/** Repeated ids are summed, and one product's summed quantity is capped like a single line's. */
function addSummedQuantityIssues(
  body: { productos: Array<number | { producto_id: number; cantidad: number }>; cantidades?: number[] | undefined },
  ctx: z.RefinementCtx,
) {
  const totals = new Map<number, number>();
  body.productos.forEach((item, index) => {
    const [id, cantidad] = typeof item === 'number' ? [item, body.cantidades?.[index] ?? 0] : [item.producto_id, item.cantidad];
    totals.set(id, (totals.get(id) ?? 0) + cantidad);
  });
  for (const [id, total] of totals) {
    if (total > MAX_QUANTITY) {
      ctx.addIssue({
        code: 'custom',
        path: ['productos'],
        message: 'issue.summed_quantity',
        params: { producto_id: id, maximum: MAX_QUANTITY },
      });
    }
  }
}

export type PurchaseBody = z.infer<typeof PurchaseBodySchema>;

export const PurchaseHeadersSchema = z.object({ 'idempotency-key': IdempotencyKeySchema.optional() });

const PurchaseCore = {
  id: z.int(),
  fechaCompra: z.string().openapi({ example: '2025-10-21T12:30:11.123456' }),
  usuarioId: z.int().nullable(),
  productos: z.array(z.int()),
  cantidades: z.array(z.int()),
};

/** The product fields every detail line shares (an allow-list: nothing else is copied). */
const ProductLine = {
  producto_id: z.int(),
  cantidad: z.int(),
  nombre: z.string(),
  precio: z.number(),
  tipo: z.string(),
};

export const RegisteredPurchaseSchema = z
  .looseObject({
    ...PurchaseCore,
    productos_detalle: z.array(z.object({ ...ProductLine, requiere_receta: z.boolean(), subtotal: z.number() })),
    total: z.number(),
  })
  .openapi('RegisteredPurchase');

const LineDetailSchema = z.union([
  z.object({ ...ProductLine, requiere_receta: z.boolean(), stock: z.int() }),
  z.object({ producto_id: z.int(), cantidad: z.int(), error: z.string().openapi({ example: 'Producto no disponible' }) }),
]);

const EnrichedPurchaseSchema = z
  .looseObject({
    ...PurchaseCore,
    fecha: z.string().openapi({ description: 'The same as fechaCompra (the existing web frontend reads `fecha`)' }),
    productos_detalle: z.array(LineDetailSchema),
  })
  .openapi('EnrichedPurchase');

export const PurchaseListSchema = z.object({ compras: z.array(EnrichedPurchaseSchema) }).openapi('PurchaseList');

export const PurchasePageSchema = z
  .object({ compras: z.array(EnrichedPurchaseSchema), page: z.int(), pagesize: z.int(), total: z.int() })
  .openapi('PurchasePage');

export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1).openapi({ example: 1 }),
  pagesize: z.coerce.number().int().min(1).max(100).default(50).openapi({ example: 50 }),
});
