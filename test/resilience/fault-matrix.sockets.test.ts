// Fault matrix over real sockets: every upstream x the faults that need them (a hang until the
// gateway's timeout, connection resets) x every endpoint that calls that upstream, through the real
// gateway server in front of the real mock servers (undici's Pool over TCP). The faulty answers run
// in process (fault-matrix.http.test.ts); the check of a case is checkFaultCase in the cases file.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SERVICE_NAMES, type ServiceName } from '../../mocks/index.js';
import { SOCKET_FAULTS, checkFaultCase, matrixBlocks, type FaultWorld, type Tokens } from './fault-matrix.cases.js';
import { tokens } from '../helpers/harness.js';
import { callGateway, recordedCalls, startGatewayUnderTest, startMockServersUnderTest, type GatewayUnderTest, type MockServersUnderTest } from '../helpers/socket-gateway.js';

const UPSTREAM_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 1500;
/** How long a case waits for the gateway's answer before failing: the budget plus scheduling slack. */
const WAIT = { waitAtMostMs: REQUEST_TIMEOUT_MS + 2000 };
const ENV = {
  UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
  REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  // The matrix is about single failures: the breaker must stay closed (circuit-breaker tests it).
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

function socketWorld(gateway: GatewayUnderTest): FaultWorld {
  return {
    send: ({ path, ...init }) => callGateway(gateway.api, path, { ...init, ...WAIT }),
    setFault: async (service, rule) => {
      const res = await fetch(`${upstreams.urls[service]}/__mock/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([rule]),
      });
      expect(res.status).toBe(200);
    },
    clearFaults: async (service) => {
      expect((await fetch(`${upstreams.urls[service]}/__mock/faults`, { method: 'DELETE' })).status).toBe(204);
    },
    calls: async () => (await Promise.all(SERVICE_NAMES.map((service) => recordedCalls(upstreams.urls, service)))).flat(),
    mocks: upstreams.mocks,
    upstreamHosts: Object.values(upstreams.urls).map((url) => new URL(url).host),
    breakerState: (service: ServiceName) => gateway.deps.health.breakerStates()[service],
  };
}

describe.each(matrixBlocks(SERVICE_NAMES, SOCKET_FAULTS))('%s', (_block, _upstream, cases) => {
  // One gateway per block: fresh breakers, stock locks and idempotency memory.
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest(ENV, {}, { upstreams, captureLogs: true });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it.each(cases)('%s', async (_title, { endpoint, fault }) => {
    await checkFaultCase(socketWorld(gateway), endpoint, fault, t);
  }, REQUEST_TIMEOUT_MS * 3 + 5000);
});
