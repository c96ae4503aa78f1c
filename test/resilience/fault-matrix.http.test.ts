// Fault matrix in process: every upstream x every faulty answer (a 5xx with internals, malformed
// JSON, the wrong shape, a single 5xx) x every endpoint that calls that upstream, through the app
// and the production undici transport with msw in place of the socket. The mocks inject the same
// fault rules as over TCP; the faults that need real sockets are in fault-matrix.sockets.test.ts.
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { SERVICE_NAMES, type ServiceName } from '../../mocks/index.js';
import { ANSWER_FAULTS, checkFaultCase, matrixBlocks, type FaultWorld, type Tokens } from './fault-matrix.cases.js';
import { API, BASE_URLS, createHarness, tokens } from '../helpers/harness.js';

const h = createHarness({
  UPSTREAM_TIMEOUT_MS: '400',
  REQUEST_TIMEOUT_MS: '1500',
  // The matrix is about single failures: the breaker must stay closed (circuit-breaker tests it).
  BREAKER_VOLUME_THRESHOLD: '1000000',
});
let t: Tokens;
beforeAll(async () => {
  h.listen();
  t = { ana: await tokens.ana(), admin: await tokens.admin() };
});
// Fresh seed, breakers, stock locks and idempotency memory for each case.
beforeEach(h.reset);
afterAll(h.close);

const world: FaultWorld = {
  send: async ({ path, body, ...init }) => {
    const res = await h.request(`${API}${path}`, { ...init, ...(body !== undefined ? { json: body } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  },
  setFault: async (service, rule) => h.mocks.setFaults(service, [rule as Parameters<typeof h.mocks.setFaults>[1][number]]),
  clearFaults: async (service) => h.mocks.setFaults(service, []),
  calls: async () => h.calls(),
  get mocks() {
    return h.mocks;
  },
  upstreamHosts: Object.values(BASE_URLS).map((url) => new URL(url).host),
  breakerState: (service: ServiceName) => h.deps.health.breakerStates()[service],
};

describe.each(matrixBlocks(SERVICE_NAMES, ANSWER_FAULTS))('%s', (_block, _upstream, cases) => {
  it.each(cases)('%s', async (_title, { endpoint, fault }) => {
    await checkFaultCase(world, endpoint, fault, t);
  });
});
