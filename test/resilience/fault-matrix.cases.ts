// The axes of the fault matrix: the faults a mock upstream injects, every gateway endpoint that
// calls each upstream (with where the fault goes and what the endpoint may still write when it
// fails), and the one check of a case. Two runners cross them: fault-matrix.sockets.test.ts for the
// faults that need real sockets (hang, connection resets: undici's Pool over TCP) and
// fault-matrix.http.test.ts for the faulty answers, which the in-process app sees identically.
import { expect } from 'vitest';
import { SEED_RECETA_IDS, type FaultRule, type MockUpstreams, type RecordedCall, type ServiceName } from '../../mocks/index.js';
import { describeCall, type GatewayAnswer } from '../helpers/socket-gateway.js';

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

/**
 * Faults that need real sockets: a hang (the mock never answers; a long latency is the same input
 * to the gateway: no byte before UPSTREAM_TIMEOUT_MS) and connection resets.
 */
export const SOCKET_FAULTS: FaultCase[] = [
  { name: 'hang', rule: { fault: 'hang' }, outcome: () => 'timeout', attempts: once },
  { name: 'connection reset', rule: { fault: 'reset' }, outcome: () => 'unavailable', attempts: retriedIfRead },
  // A GET survives one reset thanks to the single retry; a write is never repeated.
  { name: 'reset on the first call only', rule: { fault: 'reset', times: 1 }, outcome: (read) => (read ? 'success' : 'unavailable'), attempts: retriedIfRead },
];

/** Faulty answers: what matters is the bytes of the answer, the same in process as over TCP. */
export const ANSWER_FAULTS: FaultCase[] = [
  {
    name: '500 with internals in the body',
    rule: { fault: 'status', status: 500, body: `java.lang.IllegalStateException: ${LEAK} at db-primary.internal:5432` },
    outcome: () => 'unavailable',
    attempts: once,
  },
  { name: 'malformed JSON', rule: { fault: 'malformed-json', body: `{"detail": "${LEAK}", "items": [` }, outcome: () => 'unavailable', attempts: once },
  { name: 'wrong shape', rule: { fault: 'wrong-shape', body: `{"detail":"${LEAK}"}` }, outcome: () => 'unavailable', attempts: once },
  // A 5xx is an answer, not a network error: not retried, even for a GET.
  { name: '500 on the first call only', rule: { fault: 'status', status: 500, body: LEAK, times: 1 }, outcome: () => 'unavailable', attempts: once },
];

export interface Tokens {
  ana: string;
  admin: string;
}

/** One request to the gateway, path relative to its API prefix; each runner sends it its way. */
export interface GatewayRequest {
  path: string;
  token: string;
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const call = (path: string, init: Omit<GatewayRequest, 'path'>): GatewayRequest => ({ path, ...init });

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
  send(tokens: Tokens): GatewayRequest;
  /** The "healthy afterwards" request when `send` cannot be repeated (a delete). */
  again?(tokens: Tokens): GatewayRequest;
  /** Checks on the mocks' data after a failed request. */
  afterFailure?(mocks: MockUpstreams, fault: FaultCase): void;
}

const PRODUCT = 1;
const PRESCRIPTION_PRODUCT = 3;
const RECETA = SEED_RECETA_IDS.anaPendingValid;
const stockOf = (mocks: MockUpstreams, id: number) => mocks.state.data.productos.items.find((p) => p.id === id)?.stock;
const purchase = (productoId: number, cantidad: number) => ({ productos: [{ producto_id: productoId, cantidad }] });
const taskConfig = { base_url: 'https://api.example.com/chaos', http_method: 'POST', payload: { a: 1 } };
const invoices = () => [{ numero_factura: 'F-CHAOS-1', rut_cliente: '11.111.111-1', monto: 99.9, fecha_emision: new Date().toISOString().slice(0, 10) }];

const expectStock = (mocks: MockUpstreams, id: number, expected: number) => {
  const actual = stockOf(mocks, id);
  if (actual !== expected) throw new Error(`stock of product ${id} is ${actual}, expected ${expected}`);
};
const expectState = (mocks: MockUpstreams, id: string, expected: string) => {
  const actual = mocks.state.data.recetas.items.find((r) => r._id === id)?.estadoValidacion;
  if (actual !== expected) throw new Error(`prescription ${id} is ${actual}, expected ${expected}`);
};

/** A registration that definitely failed gives the stock back; one that may have applied keeps it taken. */
const registrationDefinitelyFailed = (fault: FaultCase) => fault.rule.fault === 'reset' || fault.rule.fault === 'status';

export const ENDPOINTS: EndpointCase[] = [
  // usuarios
  {
    upstream: 'usuarios', name: 'GET /compras/me', target: { method: 'GET', path: '/api/compras/me' }, read: true, success: 200,
    send: (t) => call('/compras/me', { token: t.ana }),
  },
  {
    upstream: 'usuarios', name: 'GET /compras/all', target: { method: 'GET', path: '/api/compras/all' }, read: true, success: 200,
    send: (t) => call('/compras/all?page=1&pagesize=10', { token: t.admin }),
  },
  {
    upstream: 'usuarios', name: 'POST /compras (registration)', target: { method: 'POST', path: '/api/compras' }, read: false, success: 201,
    writesOnFailure: ['productos PUT /api/productos/1', 'usuarios POST /api/compras'],
    send: (t) => call('/compras', { token: t.ana, method: 'POST', body: purchase(PRODUCT, 2) }),
    afterFailure: (mocks, fault) => expectStock(mocks, PRODUCT, registrationDefinitelyFailed(fault) ? 100 : 98),
  },
  {
    upstream: 'usuarios', name: 'PUT /recetas/estado VALIDADA (admin: patient lookup)', target: { method: 'GET', path: '/api/user/all' },
    read: true, success: 200,
    send: (t) =>
      call(`/recetas/estado/${RECETA}`, { token: t.admin, method: 'PUT', body: { estadovalidacion: 'VALIDADA' } }),
  },
  // productos
  {
    upstream: 'productos', name: 'GET /compras/me', target: { method: 'GET', path: '/api/productos/*' }, read: true, success: 200, degrades: true,
    send: (t) => call('/compras/me', { token: t.ana }),
  },
  {
    upstream: 'productos', name: 'GET /compras/all', target: { method: 'GET', path: '/api/productos/*' }, read: true, success: 200, degrades: true,
    send: (t) => call('/compras/all?page=1&pagesize=10', { token: t.admin }),
  },
  {
    upstream: 'productos', name: 'POST /compras', target: { path: '/api/productos/*' }, read: true, success: 201,
    send: (t) => call('/compras', { token: t.ana, method: 'POST', body: purchase(PRODUCT, 2) }),
    afterFailure: (mocks) => expectStock(mocks, PRODUCT, 100),
  },
  {
    upstream: 'productos', name: 'PUT /recetas/estado VALIDADA', target: { path: '/api/productos/*' }, read: true, success: 200,
    send: (t) =>
      call(`/recetas/estado/${RECETA}`, { token: t.ana, method: 'PUT', body: { estadovalidacion: 'VALIDADA' } }),
  },
  // recetas
  {
    upstream: 'recetas', name: 'PUT /recetas/estado VALIDADA', target: { path: '/api/*' }, read: true, success: 200,
    send: (t) =>
      call(`/recetas/estado/${RECETA}`, { token: t.ana, method: 'PUT', body: { estadovalidacion: 'VALIDADA' } }),
  },
  {
    // The state write itself: its reads pass, the write fails and is never repeated.
    upstream: 'recetas', name: 'PUT /recetas/estado VALIDADA (the state write)', target: { method: 'PUT', path: `/api/recetas/estado/${RECETA}` },
    read: false, success: 200, writesOnFailure: [`recetas PUT /api/recetas/estado/${RECETA}`],
    send: (t) => call(`/recetas/estado/${RECETA}`, { token: t.ana, method: 'PUT', body: { estadovalidacion: 'VALIDADA' } }),
    afterFailure: (mocks) => expectState(mocks, RECETA, 'pendiente'),
  },
  {
    upstream: 'recetas', name: 'POST /compras of a prescription product', target: { method: 'GET', path: '/api/recetas/filter' }, read: true, success: 201,
    send: (t) => call('/compras', { token: t.ana, method: 'POST', body: purchase(PRESCRIPTION_PRODUCT, 1) }),
    afterFailure: (mocks) => expectStock(mocks, PRESCRIPTION_PRODUCT, 40),
  },
  // tareas
  {
    upstream: 'tareas', name: 'GET /integration-tasks', target: { method: 'GET', path: '/integration-tasks/get_tasks/' }, read: true, success: 200,
    send: (t) => call('/integration-tasks', { token: t.ana }),
  },
  {
    upstream: 'tareas', name: 'GET /integration-tasks/{id}', target: { method: 'GET', path: '/integration-tasks/get_tasks/' }, read: true, success: 200,
    send: (t) => call('/integration-tasks/2', { token: t.ana }),
  },
  {
    upstream: 'tareas', name: 'POST /integration-tasks', target: { method: 'POST', path: '/integration-tasks/' }, read: false, success: 201,
    writesOnFailure: ['tareas POST /integration-tasks/'],
    send: (t) => call('/integration-tasks', { token: t.ana, method: 'POST', body: { name: 'Chaos', config: taskConfig } }),
  },
  {
    upstream: 'tareas', name: 'PUT /integration-tasks/{id}', target: { method: 'PUT', path: '/integration-tasks/2/' }, read: false, success: 200,
    writesOnFailure: ['tareas PUT /integration-tasks/2/'],
    send: (t) => call('/integration-tasks/2', { token: t.ana, method: 'PUT', body: { name: 'Renamed' } }),
  },
  {
    upstream: 'tareas', name: 'DELETE /integration-tasks/{id}', target: { method: 'DELETE', path: '/integration-tasks/*' }, read: false, success: 204,
    writesOnFailure: ['tareas DELETE /integration-tasks/2/'],
    // A delete's 2xx body is not part of any contract: valid JSON of any shape is still a success.
    outcomes: { 'wrong shape': 'success' },
    send: (t) => call('/integration-tasks/2', { token: t.ana, method: 'DELETE' }),
    again: (t) => call('/integration-tasks/1', { token: t.ana, method: 'DELETE' }),
  },
  {
    upstream: 'tareas', name: 'POST /integration-tasks/{id}/execute', target: { path: '/integration-tasks/*' }, read: true, success: 202,
    send: (t) => call('/integration-tasks/2/execute', { token: t.ana, method: 'POST' }),
  },
  // facturas
  {
    upstream: 'facturas', name: 'POST /facturas', target: { method: 'POST', path: '/facturas/' }, read: false, success: 202,
    writesOnFailure: ['facturas POST /facturas/'],
    send: (t) =>
      call('/facturas', { token: t.ana, method: 'POST', body: invoices(), headers: { 'idempotency-key': 'chaos-invoices-1' } }),
  },
];

/** How one runner reaches the gateway and the mocks. */
export interface FaultWorld {
  send(request: GatewayRequest): Promise<GatewayAnswer>;
  setFault(service: ServiceName, rule: unknown): Promise<void>;
  clearFaults(service: ServiceName): Promise<void>;
  calls(): Promise<RecordedCall[]>;
  mocks: MockUpstreams;
  /** host:port of every upstream, none of which may appear in an answer. */
  upstreamHosts: string[];
  breakerState(service: ServiceName): string | undefined;
}

const matchesTarget = (endpoint: EndpointCase) => (call: RecordedCall) =>
  call.service === endpoint.upstream &&
  (endpoint.target.method === undefined || call.method === endpoint.target.method) &&
  (endpoint.target.path.endsWith('*') ? call.path.startsWith(endpoint.target.path.slice(0, -1)) : call.path === endpoint.target.path);

/** Neither the body nor any header carries the upstream's body text or its address. */
function expectNoLeak(answer: GatewayAnswer, hosts: string[]) {
  const headers = [...answer.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  for (const text of [answer.text, headers]) {
    expect(text).not.toContain(LEAK);
    expect(text).not.toMatch(/Exception|db-primary|stack/i);
    for (const host of hosts) expect(text).not.toContain(host);
  }
}

function expectAnswer(endpoint: EndpointCase, outcome: Outcome, answer: GatewayAnswer) {
  const status = answer.status;
  if (endpoint.degrades) {
    expect(status).toBe(200);
    expect(answer.headers.get('x-gateway-completed')).toBe(outcome === 'success' ? 'true' : 'false');
    if (outcome !== 'success') expect(answer.text).toContain('"error":"Producto no disponible"');
    return;
  }
  if (outcome === 'success') {
    expect(status).toBe(endpoint.success);
    return;
  }
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.body.requestId).toBe(answer.headers.get('x-request-id'));
  expect(answer.body.details).toMatchObject({ service: endpoint.upstream });
  if (outcome === 'timeout') {
    expect([status, answer.body.code]).toEqual([504, 'UPSTREAM_TIMEOUT']);
  } else {
    expect([status, answer.body.code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  }
}

function expectAttempts(endpoint: EndpointCase, fault: FaultCase, calls: RecordedCall[]) {
  const faulted = calls.filter(matchesTarget(endpoint));
  const first = faulted[0];
  expect(first, 'the faulted upstream was called').toBeDefined();
  const sameCall = faulted.filter((call) => call.method === first?.method && call.path === first?.path && call.query === first?.query);
  expect(sameCall).toHaveLength(fault.attempts(endpoint.read));
}

/**
 * One case: the status and code, `details.service`, that nothing of the upstream's body leaks, the
 * retry rule (a GET once after a network error, never a write, never a 5xx), that no write happens
 * that should not, and that the same request succeeds once the fault is cleared.
 */
export async function checkFaultCase(world: FaultWorld, endpoint: EndpointCase, fault: FaultCase, tokens: Tokens) {
  await world.setFault(endpoint.upstream, { ...endpoint.target, ...fault.rule });
  const outcome = endpoint.outcomes?.[fault.name] ?? fault.outcome(endpoint.read);

  const answer = await world.send(endpoint.send(tokens));
  expectAnswer(endpoint, outcome, answer);
  expectNoLeak(answer, world.upstreamHosts);
  const calls = await world.calls();
  expectAttempts(endpoint, fault, calls);
  if (outcome !== 'success') {
    const writes = calls.filter((call) => call.method !== 'GET').map(describeCall);
    const allowed = new Set(endpoint.writesOnFailure ?? []);
    expect(writes.filter((write) => !allowed.has(write)), 'writes that must not happen').toEqual([]);
    if (!endpoint.degrades) endpoint.afterFailure?.(world.mocks, fault);
  }

  // Healthy afterwards: the fault cleared, the same request (or its repeatable twin) succeeds.
  await world.clearFaults(endpoint.upstream);
  expectAnswer(endpoint, 'success', await world.send((endpoint.again ?? endpoint.send)(tokens)));
  expect(world.breakerState(endpoint.upstream)).toBe('closed');
}

/** [title, case] tuples per upstream block: `%s` prints the whole title. */
export const matrixBlocks = (upstreams: readonly ServiceName[], faults: FaultCase[]) =>
  upstreams.map((upstream) => [
    `${upstream} failing`,
    upstream,
    ENDPOINTS.filter((endpoint) => endpoint.upstream === upstream).flatMap((endpoint) =>
      faults.map((fault) => [`${endpoint.name} / ${fault.name}`, { endpoint, fault }] as const),
    ),
  ] as const);
