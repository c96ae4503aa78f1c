// Shapes of the upstream services' data, field names exactly as the real services spell them
// (see docs/upstreams.md). Only the mocks use these types; the gateway has its own schemas.

export type Role = 'CLIENTE' | 'ADMIN';

/** Spring Boot user entity; `id` and `password` are internal and never returned by `/api/user/*`. */
export interface Usuario {
  id: number;
  dni: string;
  email: string;
  nombre: string;
  apellido: string;
  role: Role;
  distrito: string;
  /**
   * The service keeps a BCrypt hash; the mock keeps the plain password and compares it the way
   * BCrypt does (only the first 72 UTF-8 bytes count).
   */
  password: string;
}

export interface Compra {
  id: number;
  fechaCompra: string;
  usuarioId: number;
  productos: number[];
  cantidades: number[];
}

export interface Producto {
  id: number;
  nombre: string;
  tipo: string;
  precio: number;
  stock: number;
  requiere_receta: boolean;
  fecha_creacion: string;
  fecha_actualizacion: string;
}

export interface Oferta {
  id: number;
  fecha_vencimiento: string;
  fecha_creacion: string;
  fecha_actualizacion: string;
  detalles: Array<{ producto_id: number; descuento: number; id: number }>;
}

export type EstadoValidacion = 'pendiente' | 'validada' | 'rechazada';

export interface RecetaProducto {
  id: number;
  nombre: string;
  cantidad: number;
  /** Mongoose gives every subdocument an `_id` of its own. */
  _id?: string;
}

/** What the `validar` generation's OCR reads from a prescription's PDF (the mocks' stand-in for Textract). */
export interface RecetaPdf {
  /** The OCR cannot read it: the service answers 500. */
  unreadable?: true;
  pacienteDNI?: string;
  medicoCMP?: string;
  fechaEmision?: string;
  productos?: RecetaProducto[];
}

export interface Receta {
  _id: string;
  pacienteDNI: string;
  medicoCMP: string;
  fechaEmision: string;
  productos: RecetaProducto[];
  estadoValidacion: EstadoValidacion;
  /** The S3 URL of the uploaded PDF (required by the current schema). */
  archivoPDF?: string;
  createdAt: string;
  updatedAt: string;
  __v?: number;
}

export interface Medico {
  _id: string;
  cmp: string;
  nombre: string;
  especialidad: string;
  colegiaturaValida: boolean;
  createdAt: string;
  updatedAt: string;
  __v: number;
}

export interface Tarea {
  id: number;
  task_name: string;
  /** A Django JSONField: stored as the client sent it (normally base_url, http_method, payload). */
  config: Record<string, unknown>;
  /** The model's default is `pendiente` (not one of its declared choices); the worker sets `executed`. */
  status: 'pendiente' | 'executed';
  /** A DateTimeField: when the worker finished, ISO 8601 with `Z`; null until then. */
  execution_time: string | null;
  result: unknown;
  created_at: string;
  updated_at: string;
}

/** The owner is a column of the task row but not part of the serialised task. */
export interface StoredTarea {
  ownerDni: string;
  tarea: Tarea;
}

export interface FacturaInput {
  numero_factura: string;
  rut_cliente: string;
  monto: number;
  fecha_emision: string;
}

export interface FacturaBatch {
  idempotencyKey: string;
  receivedAt: string;
  facturas: FacturaInput[];
}

/** Everything the five services persist; `reset()` replaces it with a fresh seed. */
export interface MockData {
  usuarios: {
    users: Usuario[];
    compras: Compra[];
    nextCompraId: number;
    /** The id the next registered user gets (the service resyncs its sequence to max(id) + 1). */
    nextUserId: number;
  };
  productos: { items: Producto[]; ofertas: Oferta[] };
  recetas: {
    items: Receta[];
    medicos: Medico[];
    /**
     * What a prescription's PDF says where it differs from the document (the `validar`
     * generation reads the PDF); `null`: no PDF at all. Absent: the PDF matches the document.
     */
    pdfs: Map<string, RecetaPdf | null>;
    /** Counter of the ObjectIds the mock generates for uploaded prescriptions and their products. */
    nextObjectIdCounter: number;
  };
  tareas: { items: StoredTarea[]; nextId: number };
  facturas: {
    /** Idempotency-Key -> epoch ms of its first accepted use. */
    usedKeys: Map<string, number>;
    batches: FacturaBatch[];
  };
}
