import { z } from 'zod';

export const PrescriptionStateSchema = z.enum(['pendiente', 'validada', 'rechazada']);

/** A prescription document (Express + MongoDB); unknown fields pass through to clients. */
export const PrescriptionSchema = z.looseObject({
  _id: z.string(),
  pacienteDNI: z.string(),
  medicoCMP: z.string(),
  fechaEmision: z.string(),
  productos: z.array(z.looseObject({ id: z.number().int(), nombre: z.string(), cantidad: z.number() })),
  estadoValidacion: PrescriptionStateSchema,
});

export const PrescriptionPageSchema = z.object({ items: z.array(PrescriptionSchema) });

export const StateUpdateSchema = z.object({ receta: PrescriptionSchema });

export const DoctorPageSchema = z.object({
  items: z.array(z.looseObject({ cmp: z.string(), colegiaturaValida: z.boolean() })),
});

export type Prescription = z.infer<typeof PrescriptionSchema>;
export type PrescriptionState = z.infer<typeof PrescriptionStateSchema>;
export type Doctor = z.infer<typeof DoctorPageSchema>['items'][number];

/** The upload's 201: the stored prescription (`pendiente`), its fields read from the PDF; passed on as received. */
export const UploadAnswerSchema = z.looseObject({ mensaje: z.string(), receta: PrescriptionSchema });

export type UploadAnswer = z.infer<typeof UploadAnswerSchema>;
