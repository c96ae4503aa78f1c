// The one seeded dataset behind every mock. `createSeed` builds new objects on every call, so a
// reset never shares references with data a previous test mutated.
import type { Compra, MockData, Producto, StoredTarea, Usuario } from './types.js';
import { seedMedicos, seedRecetaPdfs, seedRecetas } from './seed-recetas.js';
import { SEED_DNI, SEED_PASSWORDS, SEED_PRODUCT_IDS, SEED_TASK_IDS, SEED_USER_IDS } from './seed-ids.js';
import { djangoDateTime, javaLocalDateTime, pythonDateTime, shiftDays, shiftHours, truncateToSeconds } from './time.js';

export { SEED_CMP, SEED_DNI, SEED_PASSWORDS, SEED_PRODUCT_IDS, SEED_RECETA_IDS, SEED_TASK_IDS, SEED_USER_IDS } from './seed-ids.js';
export type { SeedRecetaName } from './seed-ids.js';

function seedUsers(): Usuario[] {
  return [
    { id: SEED_USER_IDS.admin, dni: SEED_DNI.admin, email: 'carla@example.com', nombre: 'Carla', apellido: 'Torres', role: 'ADMIN', distrito: 'San Isidro', password: SEED_PASSWORDS.admin },
    { id: SEED_USER_IDS.ana, dni: SEED_DNI.ana, email: 'ana@example.com', nombre: 'Ana', apellido: 'Quispe', role: 'CLIENTE', distrito: 'Miraflores', password: SEED_PASSWORDS.ana },
    { id: SEED_USER_IDS.luis, dni: SEED_DNI.luis, email: 'luis@example.com', nombre: 'Luis', apellido: 'Huamán', role: 'CLIENTE', distrito: 'Surco', password: SEED_PASSWORDS.luis },
    { id: SEED_USER_IDS.pedro, dni: SEED_DNI.pedro, email: 'pedro@example.com', nombre: 'Pedro', apellido: 'Rojas', role: 'CLIENTE', distrito: 'Lince', password: SEED_PASSWORDS.pedro },
  ];
}

function seedCompras(now: Date): Compra[] {
  const at = (daysAgo: number, micros: number) => javaLocalDateTime(shiftDays(now, -daysAgo), micros);
  return [
    { id: 1, fechaCompra: at(20, 101), usuarioId: SEED_USER_IDS.ana, productos: [1, 3], cantidades: [2, 1] },
    { id: 2, fechaCompra: at(10, 202), usuarioId: SEED_USER_IDS.ana, productos: [2, 5], cantidades: [1, 3] },
    { id: 3, fechaCompra: at(3, 303), usuarioId: SEED_USER_IDS.ana, productos: [1], cantidades: [4] },
    { id: 4, fechaCompra: at(7, 404), usuarioId: SEED_USER_IDS.luis, productos: [4], cantidades: [1] },
  ];
}

type ProductRow = readonly [id: number, nombre: string, tipo: string, precio: number, stock: number, requiereReceta: boolean];

/** The catalogue as facts (the in-memory fakes of the use-case tests start from it too). */
export const PRODUCT_ROWS: readonly ProductRow[] = [
  [1, 'Paracetamol 500mg', 'Analgesico', 3.5, 100, false],
  [2, 'Ibuprofeno 400mg', 'Antiinflamatorio', 5.2, 80, false],
  [3, 'Amoxicilina 500mg', 'Antibiotico', 12.5, 40, true],
  [4, 'Loratadina 10mg', 'Antialergico', 4.8, 2, false], // low stock
  [5, 'Vitamina C 1g', 'Suplemento', 8, 60, false],
  [6, 'Clonazepam 2mg', 'Ansiolitico', 15.75, 10, true],
  [7, 'Omeprazol 20mg', 'Gastrico', 6.3, 0, false], // out of stock
  [8, 'Azitromicina 500mg', 'Antibiotico', 18.9, 25, true],
];

function seedProductos(now: Date): Producto[] {
  const created = pythonDateTime(truncateToSeconds(shiftDays(now, -30)));
  return PRODUCT_ROWS.map(([id, nombre, tipo, precio, stock, requiere_receta]) => ({
    id, nombre, tipo, precio, stock, requiere_receta, fecha_creacion: created, fecha_actualizacion: created,
  }));
}

function seedTareas(now: Date): StoredTarea[] {
  const at = (hoursAgo: number) => djangoDateTime(shiftHours(now, -hoursAgo));
  return [
    {
      ownerDni: SEED_DNI.ana,
      tarea: {
        id: SEED_TASK_IDS.anaExecuted, task_name: 'Sincronizar inventario',
        config: { base_url: 'https://api.example.com/inventario', http_method: 'POST', payload: { almacen: 'central' } },
        status: 'executed', execution_time: at(47), result: { status_code: 200, body: 'ok' },
        created_at: at(48), updated_at: at(47),
      },
    },
    {
      ownerDni: SEED_DNI.ana,
      tarea: {
        id: SEED_TASK_IDS.anaPending, task_name: 'Notificar proveedor',
        config: { base_url: 'https://api.example.com/proveedores', http_method: 'GET', payload: {} },
        status: 'pendiente', execution_time: null, result: null, created_at: at(24), updated_at: at(24),
      },
    },
    {
      ownerDni: SEED_DNI.luis,
      tarea: {
        id: SEED_TASK_IDS.luisPending, task_name: 'Reporte diario',
        config: { base_url: 'https://api.example.com/reportes', http_method: 'PUT', payload: { formato: 'csv' } },
        status: 'pendiente', execution_time: null, result: null, created_at: at(12), updated_at: at(12),
      },
    },
  ];
}

export function createSeed(now: Date): MockData {
  return {
    usuarios: { users: seedUsers(), compras: seedCompras(now), nextCompraId: 5, nextUserId: SEED_USER_IDS.pedro + 1 },
    productos: {
      items: seedProductos(now),
      ofertas: [
        {
          id: 1,
          fecha_vencimiento: pythonDateTime(truncateToSeconds(shiftDays(now, 15))),
          fecha_creacion: pythonDateTime(truncateToSeconds(shiftDays(now, -5))),
          fecha_actualizacion: pythonDateTime(truncateToSeconds(shiftDays(now, -5))),
          detalles: [{ producto_id: SEED_PRODUCT_IDS.amoxicilina, descuento: 0.1, id: 1 }],
        },
      ],
    },
    recetas: { items: seedRecetas(now), medicos: seedMedicos(now), pdfs: seedRecetaPdfs(), nextObjectIdCounter: 1 },
    tareas: { items: seedTareas(now), nextId: 4 },
    facturas: { usedKeys: new Map(), batches: [] },
  };
}
