// The API's operations as two tables, each checked against the OpenAPI document: the ones the
// bearer scheme secures and the ones open to anyone that call an upstream. Each request is
// complete and valid (body, path, Idempotency-Key, a real multipart PDF), so a token that slipped
// through would reach an upstream.
import { SEED_CMP, SEED_DNI, SEED_PASSWORDS, SEED_RECETA_IDS, SEED_TASK_IDS, prescriptionUploadForm, samplePrescriptionPdf } from '../../mocks/index.js';
import { API, type Harness } from '../helpers/harness.js';

export interface Endpoint {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** As the OpenAPI document names it. */
  template: string;
  path: string;
  json?: unknown;
  /** A multipart body, built afresh for each request. */
  form?: () => FormData;
  headers?: Record<string, string>;
  /** The control token must be allowed to use it. */
  admin?: boolean;
  /** The status of the request with a good token. */
  success: number;
}

const today = () => new Date().toISOString().slice(0, 10);
const TASK = String(SEED_TASK_IDS.anaPending);
const RECETA = SEED_RECETA_IDS.anaPendingValid;
const TASK_CONFIG = { base_url: 'https://api.example.com/sync', http_method: 'POST', payload: {} };
/** The upload a valid token would stream through: Ana's prescription PDF, as the web frontend sends it. */
const uploadForm = () =>
  prescriptionUploadForm(
    samplePrescriptionPdf({ dni: SEED_DNI.ana, cmp: SEED_CMP.rosaSalas, fecha: today(), productos: [{ id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2 }] }),
    { fields: { pacienteDNI: SEED_DNI.ana } },
  );

export const SECURED: Endpoint[] = [
  { name: 'POST /compras', method: 'POST', template: '/compras', path: '/compras', json: { productos: [{ producto_id: 1, cantidad: 1 }] }, success: 201 },
  { name: 'GET /compras/me', method: 'GET', template: '/compras/me', path: '/compras/me', success: 200 },
  { name: 'GET /user/me', method: 'GET', template: '/user/me', path: '/user/me', success: 200 },
  { name: 'PUT /user/me', method: 'PUT', template: '/user/me', path: '/user/me', json: { distrito: 'Barranco' }, success: 200 },
  { name: 'GET /recetas/{id}', method: 'GET', template: '/recetas/{receta_id}', path: `/recetas/${SEED_RECETA_IDS.anaValidated}`, success: 200 },
  { name: 'POST /recetas/upload', method: 'POST', template: '/recetas/upload', path: '/recetas/upload', form: uploadForm, success: 201 },
  { name: 'GET /compras/all', method: 'GET', template: '/compras/all', path: '/compras/all?page=1&pagesize=10', admin: true, success: 200 },
  { name: 'PUT /recetas/estado/{id}', method: 'PUT', template: '/recetas/estado/{receta_id}', path: `/recetas/estado/${RECETA}`, json: { estadovalidacion: 'VALIDADA' }, success: 200 },
  { name: 'PUT /recetas/validar/{id}', method: 'PUT', template: '/recetas/validar/{receta_id}', path: `/recetas/validar/${RECETA}`, success: 200 },
  { name: 'GET /integration-tasks', method: 'GET', template: '/integration-tasks', path: '/integration-tasks', success: 200 },
  { name: 'POST /integration-tasks', method: 'POST', template: '/integration-tasks', path: '/integration-tasks', json: { name: 'Sync', config: TASK_CONFIG }, success: 201 },
  { name: 'GET /integration-tasks/{id}', method: 'GET', template: '/integration-tasks/{id}', path: `/integration-tasks/${TASK}`, success: 200 },
  { name: 'PUT /integration-tasks/{id}', method: 'PUT', template: '/integration-tasks/{id}', path: `/integration-tasks/${TASK}`, json: { name: 'Renamed' }, success: 200 },
  { name: 'DELETE /integration-tasks/{id}', method: 'DELETE', template: '/integration-tasks/{id}', path: `/integration-tasks/${TASK}`, success: 204 },
  { name: 'POST /integration-tasks/{id}/execute', method: 'POST', template: '/integration-tasks/{id}/execute', path: `/integration-tasks/${TASK}/execute`, success: 202 },
  {
    name: 'POST /facturas',
    method: 'POST',
    template: '/facturas',
    path: '/facturas',
    headers: { 'idempotency-key': 'lote-attack-0001' },
    json: [{ numero_factura: 'F-1', rut_cliente: '11111111-1', monto: 10.5, fecha_emision: today() }],
    success: 202,
  },
];

/** Open to anyone and calling no upstream: the probes. */
export const PROBES = ['GET /health', 'GET /echo', 'GET /ready'];
const ROSA = { email: 'rosa@example.com', password: 'secreta123', nombre: 'Rosa', apellido: 'Huaman', dni: '45678912', distrito: 'Surco' };

/** The routes open to anyone that call an upstream: an Authorization header there is never read. */
export const OPEN: Endpoint[] = [
  { name: 'POST /auth/login', method: 'POST', template: '/auth/login', path: '/auth/login', json: { dni: SEED_DNI.ana, password: SEED_PASSWORDS.ana }, success: 200 },
  { name: 'POST /auth/register', method: 'POST', template: '/auth/register', path: '/auth/register', json: ROSA, success: 200 },
  { name: 'GET /productos/paged', method: 'GET', template: '/productos/paged', path: '/productos/paged?page=1&pagesize=5', success: 200 },
  { name: 'GET /productos/nombre', method: 'GET', template: '/productos/nombre', path: '/productos/nombre?nombre=amoxi', success: 200 },
  { name: 'GET /productos/tipo', method: 'GET', template: '/productos/tipo', path: '/productos/tipo?tipo=antibiotico', success: 200 },
  { name: 'GET /productos/receta', method: 'GET', template: '/productos/receta', path: '/productos/receta?requiere_receta=true', success: 200 },
  { name: 'GET /productos/stock-bajo', method: 'GET', template: '/productos/stock-bajo', path: '/productos/stock-bajo?minimo=10', success: 200 },
  { name: 'GET /productos/{id}', method: 'GET', template: '/productos/{id}', path: '/productos/3', success: 200 },
  { name: 'GET /ofertas/all', method: 'GET', template: '/ofertas/all', path: '/ofertas/all', success: 200 },
];

/** What an attack changes in the request: its headers (Authorization, Cookie) and/or query string. */
export interface Attack {
  headers?: Record<string, string>;
  query?: string;
}

export const bearer = (token: string): Attack => ({ headers: { authorization: `Bearer ${token}` } });

export function send(h: Harness, endpoint: Endpoint, attack: Attack) {
  const separator = endpoint.path.includes('?') ? '&' : '?';
  const url = `${API}${endpoint.path}${attack.query ? `${separator}${attack.query}` : ''}`;
  return h.request(url, {
    method: endpoint.method,
    headers: { ...endpoint.headers, ...attack.headers },
    ...(endpoint.json !== undefined ? { json: endpoint.json } : {}),
    ...(endpoint.form ? { body: endpoint.form() } : {}),
  });
}

/** `METHOD /path` of every operation of the document whose `security` passes `filter`. */
export async function documentedOperations(h: Harness, filter: (security: unknown[] | undefined) => boolean) {
  const document = (await (await h.request('/api/schema')).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => filter(operation.security))
      .map(([method]) => `${method.toUpperCase()} ${path.replace(API, '')}`),
  );
}

export const tableOf = (endpoints: Endpoint[]) => endpoints.map((endpoint) => `${endpoint.method} ${endpoint.template}`);
