// Shapes of the upstream services' data, field names exactly as the real services spell them
// (see shared/spec/upstreams.md). Only the mocks use these types; the gateway has its own schemas.

export type Role = 'CLIENTE' | 'ADMIN';

/** Spring Boot user entity; `id` is internal and never returned by `/api/user/*`. */
export interface Usuario {
  id: number;
  dni: string;
  email: string;
  nombre: string;
  apellido: string;
  role: Role;
  distrito: string;
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
  detalles: Array<{ producto_id: number; descuento: number; id: number }>;
}

export type EstadoValidacion = 'pendiente' | 'validada' | 'rechazada';

export interface RecetaProducto {
  id: number;
  nombre: string;
  cantidad: number;
}

export interface Receta {
  _id: string;
  pacienteDNI: string;
  medicoCMP: string;
  fechaEmision: string;
  productos: RecetaProducto[];
  estadoValidacion: EstadoValidacion;
  createdAt: string;
  updatedAt: string;
}

export interface Medico {
  _id: string;
  cmp: string;
  nombre: string;
  especialidad: string;
  colegiaturaValida: boolean;
}

export interface Tarea {
  id: number;
  task_name: string;
  /** A Django JSONField: stored as the client sent it (normally base_url, http_method, payload). */
  config: Record<string, unknown>;
  status: 'pendiente' | 'executed';
  execution_time: number | null;
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
    /** `${usuarioId}:${Idempotency-Key}` -> id of the purchase that key created. */
    comprasByIdempotencyKey: Map<string, number>;
  };
  productos: { items: Producto[]; ofertas: Oferta[] };
  recetas: { items: Receta[]; medicos: Medico[] };
  tareas: { items: StoredTarea[]; nextId: number };
  facturas: {
    /** Idempotency-Key -> epoch ms of its first accepted use. */
    usedKeys: Map<string, number>;
    batches: FacturaBatch[];
  };
}
