// The two axes of the fault matrix: the faults a mock upstream injects, and every gateway
// endpoint that calls each upstream (with where the fault goes and what the endpoint may still
// write when it fails). fault-matrix.test.ts crosses them.
import { SEED_RECETA_IDS, type FaultRule, type MockUpstreams, type ServiceName } from '../../mocks/index.js';
import { callGateway, type CallInit, type GatewayAnswer } from '../helpers/socket-gateway.js';

/** Put into every faulty upstream body; the gateway's answers must never contain it. */
export const LEAK = 'LEAKED-upstream-internals-7f3a9c';

/** What the faulted call becomes at the gateway. */
export type Outcome = 'timeout' | 'unavailable' | 'success';

export interface FaultCase {
  name: string;
  rule: Omit<FaultRule, 'method' | 'path'>;
  /** `read`: the faulted call is a GET, which the gateway repeats once after a network error. */
  outcome(read: boolean): Outcome;
  /** How often the first faulted call (same method and path) reaches the upstream. */
  attempts(read: boolean): number;
}

const once = () => 1;
const retriedIfRead = (read: boolean) => (read ? 2 : 1);

export const FAULTS: FaultCase[] = [
  // The mock waits far longer than UPSTREAM_TIMEOUT_MS; it stops as soon as the gateway gives up.
  { name: 'latency beyond the timeout', rule: { fault: 'latency', latencyMs: 30_000 }, outcome: () => 'timeout', attempts: once },
  { name: 'hang', rule: { fault: 'hang' }, outcome: () => 'timeout', attempts: once },
  { name: 'connection reset', rule: { fault: 'reset' }, outcome: () => 'unavailable', attempts: retriedIfRead },
  {
    name: '500 with internals in the body',
    rule: { fault: 'status', status: 500, body: `java.lang.IllegalStateException: ${LEAK} at db-primary.internal:5432` },
    outcome: () => 'unavailable',
    attempts: once,
  },
  { name: 'malformed JSON', rule: { fault: 'malformed-json', body: `{"detail": "${LEAK}", "items": [` }, outcome: () => 'unavailable', attempts: once },
  { name: 'wrong shape', rule: { fault: 'wrong-shape', body: `{"detail":"${LEAK}"}` }, outcome: () => 'unavailable', attempts: once },
  // A GET survives one reset thanks to the single retry; a write is never repeated.
  { name: 'reset on the first call only', rule: { fault: 'reset', times: 1 }, outcome: (read) => (read ? 'success' : 'unavailable'), attempts: retriedIfRead },
  // A 5xx is an answer, not a network error: not retried, even for a GET.
  { name: '500 on the first call only', rule: { fault: 'status', status: 500, body: LEAK, times: 1 }, outcome: () => 'unavailable', attempts: once },
];

export interface Tokens {
  ana: string;
  admin: string;
}

export interface EndpointCase {
  upstream: ServiceName;
  name: string;
  /** Where the rule goes on the upstream. */
  target: { method?: string; path: string };
  /** The first call the rule hits is a GET. */
  read: boolean;
  success: number;
  /** Products only enrich purchase listings: their failure degrades the answer (200, X-Gateway-Completed: false). */
  degrades?: boolean;
  /** Writes (`service METHOD /path`) that may have been sent although the request failed; any other is a bug. */
  writesOnFailure?: string[];
  /** Faults this endpoint's contract does not see (by fault name). */
  outcomes?: Record<string, Outcome>;
  send(api: string, tokens: Tokens, wait: Pick<CallInit, 'waitAtMostMs'>): Promise<GatewayAnswer>;
  /** The "healthy afterwards" request when `send` cannot be repeated (a delete). */
  sendAgain?(api: string, tokens: Tokens, wait: Pick<CallInit, 'waitAtMostMs'>): Promise<GatewayAnswer>;
  /** Checks on the mocks' data after a failed request. */
  afterFailure?(mocks: MockUpstreams, fault: FaultCase): void;
}

const PRODUCT = 1;
const PRESCRIPTION_PRODUCT = 3;
const stockOf = (mocks: MockUpstreams, id: number) => mocks.state.data.productos.items.find((p) => p.id === id)?.stock;
const purchase = (productoId: number, cantidad: number) => ({ productos: [{ producto_id: productoId, cantidad }] });
const taskConfig = { base_url: 'https://api.example.com/chaos', http_method: 'POST', payload: { a: 1 } };
const invoices = () => [{ numero_factura: 'F-CHAOS-1', rut_cliente: '11.111.111-1', monto: 99.9, fecha_emision: new Date().toISOString().slice(0, 10) }];

const expectStock = (mocks: MockUpstreams, id: number, expected: number) => {
  const actual = stockOf(mocks, id);
  if (actual !== expected) throw new Error(`stock of product ${id} is ${actual}, expected ${expected}`);
};

/** A registration that definitely failed gives the stock back; one that may have applied keeps it taken. */
const registrationDefinitelyFailed = (fault: FaultCase) => fault.rule.fault === 'reset' || fault.rule.fault === 'status';

export const ENDPOINTS: EndpointCase[] = [
  // usuarios
  {
    upstream: 'usuarios', name: 'GET /compras/me', target: { method: 'GET', path: '/api/compras/me' }, read: true, success: 200,
    send: (api, t, w) => callGateway(api, '/compras/me', { token: t.ana, ...w }),
  },
  {
    upstream: 'usuarios', name: 'GET /compras/all', target: { method: 'GET', path: '/api/compras/all' }, read: true, success: 200,
    send: (api, t, w) => callGateway(api, '/compras/all?page=1&pagesize=10', { token: t.admin, ...w }),
  },
  {
    upstream: 'usuarios', name: 'POST /compras (registration)', target: { method: 'POST', path: '/api/compras' }, read: false, success: 201,
    writesOnFailure: ['productos PUT /api/productos/1', 'usuarios POST /api/compras'],
    send: (api, t, w) => callGateway(api, '/compras', { token: t.ana, method: 'POST', body: purchase(PRODUCT, 2), ...w }),
    afterFailure: (mocks, fault) => expectStock(mocks, PRODUCT, registrationDefinitelyFailed(fault) ? 100 : 98),
  },
  {
    upstream: 'usuarios', name: 'PUT /recetas/estado VALIDADA (admin: patient lookup)', target: { method: 'GET', path: '/api/user/all' },
    read: true, success: 200,
    send: (api, t, w) =>
      callGateway(api, `/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, { token: t.admin, method: 'PUT', body: { estadovalidacion: 'VALIDADA' }, ...w }),
  },
  // productos
  {
    upstream: 'productos', name: 'GET /compras/me', target: { method: 'GET', path: '/api/productos/*' }, read: true, success: 200, degrades: true,
    send: (api, t, w) => callGateway(api, '/compras/me', { token: t.ana, ...w }),
  },
  {
    upstream: 'productos', name: 'GET /compras/all', target: { method: 'GET', path: '/api/productos/*' }, read: true, success: 200, degrades: true,
    send: (api, t, w) => callGateway(api, '/compras/all?page=1&pagesize=10', { token: t.admin, ...w }),
  },
  {
    upstream: 'productos', name: 'POST /compras', target: { path: '/api/productos/*' }, read: true, success: 201,
    send: (api, t, w) => callGateway(api, '/compras', { token: t.ana, method: 'POST', body: purchase(PRODUCT, 2), ...w }),
    afterFailure: (mocks) => expectStock(mocks, PRODUCT, 100),
  },
  {
    upstream: 'productos', name: 'PUT /recetas/estado VALIDADA', target: { path: '/api/productos/*' }, read: true, success: 200,
    send: (api, t, w) =>
      callGateway(api, `/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, { token: t.ana, method: 'PUT', body: { estadovalidacion: 'VALIDADA' }, ...w }),
  },
  // recetas
  {
    upstream: 'recetas', name: 'PUT /recetas/estado VALIDADA', target: { path: '/api/*' }, read: true, success: 200,
    send: (api, t, w) =>
      callGateway(api, `/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, { token: t.ana, method: 'PUT', body: { estadovalidacion: 'VALIDADA' }, ...w }),
  },
  {
    upstream: 'recetas', name: 'POST /compras of a prescription product', target: { method: 'GET', path: '/api/recetas/filter' }, read: true, success: 201,
    send: (api, t, w) => callGateway(api, '/compras', { token: t.ana, method: 'POST', body: purchase(PRESCRIPTION_PRODUCT, 1), ...w }),
    afterFailure: (mocks) => expectStock(mocks, PRESCRIPTION_PRODUCT, 40),
  },
  // tareas
  {
    upstream: 'tareas', name: 'GET /integration-tasks', target: { method: 'GET', path: '/integration-tasks/get_tasks/' }, read: true, success: 200,
    send: (api, t, w) => callGateway(api, '/integration-tasks', { token: t.ana, ...w }),
  },
  {
    upstream: 'tareas', name: 'GET /integration-tasks/{id}', target: { method: 'GET', path: '/integration-tasks/get_tasks/' }, read: true, success: 200,
    send: (api, t, w) => callGateway(api, '/integration-tasks/2', { token: t.ana, ...w }),
  },
  {
    upstream: 'tareas', name: 'POST /integration-tasks', target: { method: 'POST', path: '/integration-tasks/' }, read: false, success: 201,
    writesOnFailure: ['tareas POST /integration-tasks/'],
    send: (api, t, w) => callGateway(api, '/integration-tasks', { token: t.ana, method: 'POST', body: { name: 'Chaos', config: taskConfig }, ...w }),
  },
  {
    upstream: 'tareas', name: 'PUT /integration-tasks/{id}', target: { method: 'PUT', path: '/integration-tasks/2/' }, read: false, success: 200,
    writesOnFailure: ['tareas PUT /integration-tasks/2/'],
    send: (api, t, w) => callGateway(api, '/integration-tasks/2', { token: t.ana, method: 'PUT', body: { name: 'Renamed' }, ...w }),
  },
  {
    upstream: 'tareas', name: 'DELETE /integration-tasks/{id}', target: { method: 'DELETE', path: '/integration-tasks/*' }, read: false, success: 204,
    writesOnFailure: ['tareas DELETE /integration-tasks/2/'],
    // A delete's 2xx body is not part of any contract: valid JSON of any shape is still a success.
    outcomes: { 'wrong shape': 'success' },
    send: (api, t, w) => callGateway(api, '/integration-tasks/2', { token: t.ana, method: 'DELETE', ...w }),
    sendAgain: (api, t, w) => callGateway(api, '/integration-tasks/1', { token: t.ana, method: 'DELETE', ...w }),
  },
  {
    upstream: 'tareas', name: 'POST /integration-tasks/{id}/execute', target: { path: '/integration-tasks/*' }, read: true, success: 202,
    send: (api, t, w) => callGateway(api, '/integration-tasks/2/execute', { token: t.ana, method: 'POST', ...w }),
  },
  // facturas
  {
    upstream: 'facturas', name: 'POST /facturas', target: { method: 'POST', path: '/facturas/' }, read: false, success: 202,
    writesOnFailure: ['facturas POST /facturas/'],
    send: (api, t, w) =>
      callGateway(api, '/facturas', { token: t.ana, method: 'POST', body: invoices(), headers: { 'idempotency-key': 'chaos-invoices-1' }, ...w }),
  },
];
