import { z } from '@hono/zod-openapi';

export const RecetaParamsSchema = z.object({
  receta_id: z
    .string()
    .regex(/^[0-9a-fA-F]{24}$/, 'receta_id must be 24 hexadecimal characters')
    .openapi({ param: { name: 'receta_id', in: 'path' }, example: '6717a1b2c3d4e5f601234567' }),
});

export const StateBodySchema = z
  .object({
    estadovalidacion: z
      .string()
      .regex(/^(validada|rechazada|pendiente)$/i, 'estadovalidacion must be VALIDADA, RECHAZADA or PENDIENTE')
      .openapi({ example: 'VALIDADA', description: 'Case-insensitive' }),
  })
  .openapi('PrescriptionStateRequest');

export const PrescriptionSchema = z
  .looseObject({
    _id: z.string(),
    pacienteDNI: z.string(),
    medicoCMP: z.string(),
    fechaEmision: z.string(),
    productos: z.array(z.looseObject({ id: z.int(), nombre: z.string(), cantidad: z.number() })),
    estadoValidacion: z.enum(['pendiente', 'validada', 'rechazada']),
  })
  .openapi('Prescription');

export const StateResultSchema = z
  .object({
    mensaje: z.string().openapi({ example: 'Receta validada y actualizada exitosamente' }),
    receta: PrescriptionSchema,
    validaciones: z
      .object({
        productos_validados: z.int(),
        medico_valido: z.literal(true),
        paciente_valido: z.literal(true),
      })
      .optional()
      .openapi({ description: 'Present only when the prescription was validated' }),
  })
  .openapi('PrescriptionStateResult');
