import { z } from '@hono/zod-openapi';

export const RecetaParamsSchema = z.object({
  receta_id: z
    .string()
    .regex(/^[0-9a-fA-F]{24}$/, 'issue.receta_id')
    .openapi({ param: { name: 'receta_id', in: 'path' }, example: '6717a1b2c3d4e5f601234567' }),
});

const STATES = new Set(['validada', 'rechazada', 'pendiente']);

export const StateBodySchema = z
  .object({
    // A refinement rather than `.regex(/.../i)`: JSON Schema patterns carry no flags, so an
    // `i` regex would be documented as a pattern no value matches.
    estadovalidacion: z
      .string()
      .refine((value) => STATES.has(value.toLowerCase()), 'issue.estado')
      .openapi({ example: 'VALIDADA', description: 'VALIDADA, RECHAZADA or PENDIENTE, in any letter case' }),
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

export const UploadResultSchema = z
  .looseObject({ mensaje: z.string().openapi({ example: 'Receta subida correctamente' }), receta: PrescriptionSchema })
  .openapi('PrescriptionUploadResult');
