// Fault matrix: every upstream x every injected fault x every endpoint that calls that upstream,
// through the real gateway server in front of the real mock servers (all over TCP). Each case
// checks the status and code, `details.service`, that nothing of the upstream's body leaks, the
// retry rule (a GET once after a network error, never a write, never a 5xx), that no write
// happens that should not, and that the same request succeeds once the fault is cleared.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SERVICE_NAMES, type RecordedCall, type ServiceName } from '../../mocks/index.js';
import { ENDPOINTS, FAULTS, LEAK, type EndpointCase, type FaultCase, type Outcome, type Tokens } from './fault-matrix.cases.js';
import { tokens } from '../helpers/harness.js';
import {
  describeCall,
  recordedCalls,
  startGatewayUnderTest,
  startMockServersUnderTest,
  type GatewayAnswer,
  type GatewayUnderTest,
  type MockServersUnderTest,
} from '../helpers/socket-gateway.js';

const UPSTREAM_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 1500;
/** How long a case waits for the gateway's answer before failing: the budget plus scheduling slack. */
const WAIT = { waitAtMostMs: REQUEST_TIMEOUT_MS + 2000 };
const ENV = {
  UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
  REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  // The matrix is about single failures: the breaker must stay closed (breaker-lifecycle tests it).
  BREAKER_VOLUME_THRESHOLD: '1000000',
  LOG_LEVEL: 'info',
};

let upstreams: MockServersUnderTest;
let t: Tokens;

beforeAll(async () => {
  upstreams = await startMockServersUnderTest();
  t = { ana: await tokens.ana(), admin: await tokens.admin() };
});

afterAll(async () => {
  await upstreams?.close();
});

beforeEach(async () => {
  // Through the control endpoint, as an outside checker would: fresh seed, no calls, no faults.
  expect((await fetch(`${upstreams.urls.usuarios}/__mock/reset`, { method: 'POST' })).status).toBe(204);
});

async function putFault(service: ServiceName, rule: unknown) {
  const res = await fetch(`${upstreams.urls[service]}/__mock/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([rule]),
  });
  expect(res.status).toBe(200);
}

async function allCalls(): Promise<RecordedCall[]> {
  return (await Promise.all(SERVICE_NAMES.map((service) => recordedCalls(upstreams.urls, service)))).flat();
}

const matchesTarget = (endpoint: EndpointCase) => (call: RecordedCall) =>
  call.service === endpoint.upstream &&
  (endpoint.target.method === undefined || call.method === endpoint.target.method) &&
  (endpoint.target.path.endsWith('*') ? call.path.startsWith(endpoint.target.path.slice(0, -1)) : call.path === endpoint.target.path);

/** Neither the body nor any header carries the upstream's body text or its address. */
function expectNoLeak(answer: GatewayAnswer) {
  const headers = [...answer.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  for (const text of [answer.text, headers]) {
    expect(text).not.toContain(LEAK);
    expect(text).not.toMatch(/Exception|db-primary|stack/i);
    for (const url of Object.values(upstreams.urls)) expect(text).not.toContain(new URL(url).host);
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

// The full matrix, on the gateway's one HTTP client (undici's Pool over real sockets).
const TRANSPORTS = [['undici', FAULTS]] as const;

// [title, case] tuples: `%s` prints the whole title (object `$label` titles get truncated).
const BLOCKS = TRANSPORTS.flatMap(([transport, faults]) =>
  SERVICE_NAMES.map((upstream) => [
    `${upstream} failing (${transport} transport)`,
    { upstream, transport },
    ENDPOINTS.filter((endpoint) => endpoint.upstream === upstream).flatMap((endpoint) =>
      faults.map((fault) => [`${endpoint.name} / ${fault.name}`, { endpoint, fault }] as const),
    ),
  ] as const),
);

describe.each(BLOCKS)('%s', (_block, { upstream }, cases) => {
  // One gateway per block: fresh breakers, stock locks and idempotency memory.
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest(ENV, {}, { upstreams, captureLogs: true });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it.each(cases)('%s', async (_title, { endpoint, fault }) => {
    await putFault(upstream, { ...endpoint.target, ...fault.rule });
    const outcome = endpoint.outcomes?.[fault.name] ?? fault.outcome(endpoint.read);

    const answer = await endpoint.send(gateway.api, t, WAIT);
    expectAnswer(endpoint, outcome, answer);
    expectNoLeak(answer);
    const calls = await allCalls();
    expectAttempts(endpoint, fault, calls);
    if (outcome !== 'success') {
      const writes = calls.filter((call) => call.method !== 'GET').map(describeCall);
      const allowed = new Set(endpoint.writesOnFailure ?? []);
      expect(writes.filter((write) => !allowed.has(write)), 'writes that must not happen').toEqual([]);
      if (!endpoint.degrades) endpoint.afterFailure?.(upstreams.mocks, fault);
    }

    // Healthy afterwards: the fault cleared, the same request (or its repeatable twin) succeeds.
    expect((await fetch(`${upstreams.urls[upstream]}/__mock/faults`, { method: 'DELETE' })).status).toBe(204);
    const again = await (endpoint.sendAgain ?? endpoint.send)(gateway.api, t, WAIT);
    expectAnswer(endpoint, 'success', again);
    expect(gateway.deps.health.breakerStates()[upstream]).toBe('closed');
  }, REQUEST_TIMEOUT_MS * 3 + 5000);
});
