// The total request budget over real sockets: no write starts unless the budget left covers it.
// Upstream reads that are each faster than UPSTREAM_TIMEOUT_MS but leave too little of
// REQUEST_TIMEOUT_MS end in a 504 `write_budget` before any write: no write is ever cut off at the
// deadline (so no unknown outcome), nothing is written, and the same request succeeds once the
// upstreams are fast again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_RECETA_IDS } from '../../mocks/index.js';
import { tokens } from '../helpers/harness.js';
import { callGateway, startGatewayUnderTest, startMockServersUnderTest, type GatewayUnderTest, type MockServersUnderTest } from '../helpers/socket-gateway.js';

// A purchase needs 2000 ms left for its writes, any other write 1000 ms: one stage of 700 ms reads
// leaves a purchase 1500 ms; a validation's two stages leave it 800 ms.
const UPSTREAM_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2200;
const LATENCY_MS = 700;
const WAIT = { waitAtMostMs: REQUEST_TIMEOUT_MS + 2000 };

let upstreams: MockServersUnderTest;
let gateway: GatewayUnderTest;
let ana: string;

beforeAll(async () => {
  upstreams = await startMockServersUnderTest();
  gateway = await startGatewayUnderTest(
    { UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    {},
    { upstreams, captureLogs: true },
  );
  ana = await tokens.ana();
});

afterAll(async () => {
  await gateway?.close();
  await upstreams?.close();
});

beforeEach(() => upstreams.mocks.reset());

/** Long enough for every delayed handler to have run, so anything written late would show. */
const afterSlowHandlers = () => new Promise((resolve) => setTimeout(resolve, LATENCY_MS + 300));

const writesTo = (service: 'productos' | 'usuarios' | 'recetas') =>
  upstreams.mocks.calls(service).filter((call) => call.method !== 'GET');

function expectWriteBudget(res: { status: number; headers: Headers; body: Record<string, unknown> }) {
  expect(res.status).toBe(504);
  expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  expect(res.body).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
  // No upstream failed or was cut off: the stage is named, not a service.
  expect(res.body.details).toEqual({ stage: 'write_budget' });
}

describe('total request budget', () => {
  it('a purchase whose reads leave less than 2 x UPSTREAM_TIMEOUT_MS answers 504 write_budget and writes nothing', async () => {
    const stock = () => upstreams.mocks.state.data.productos.items.find((item) => item.id === 1)?.stock;
    const stockBefore = stock();
    upstreams.mocks.setFaults('productos', [{ path: '/api/productos/*', fault: 'latency', latencyMs: LATENCY_MS }]);
    const res = await callGateway(gateway.api, '/compras', { token: ana, method: 'POST', body: { productos: [1], cantidades: [2] }, ...WAIT });
    expectWriteBudget(res);

    await afterSlowHandlers();
    expect(writesTo('productos')).toEqual([]);
    expect(writesTo('usuarios')).toEqual([]);
    expect(stock()).toBe(stockBefore);
    expect(upstreams.mocks.state.data.usuarios.compras).toHaveLength(4);
    expect(gateway.logs.entries().filter((entry) => /outcome unknown/.test(String(entry.msg)))).toEqual([]);

    upstreams.mocks.setFaults('productos', []);
    const again = await callGateway(gateway.api, '/compras', { token: ana, method: 'POST', body: { productos: [1], cantidades: [2] }, ...WAIT });
    expect(again.status).toBe(201);
    expect(writesTo('productos')).toHaveLength(1);
    expect(writesTo('usuarios')).toHaveLength(1);
    expect(stock()).toBe((stockBefore as number) - 2);
  });

  it('a prescription validation whose reads leave less than UPSTREAM_TIMEOUT_MS answers 504 write_budget and leaves the state as it was', async () => {
    upstreams.mocks.setFaults('recetas', [{ path: '/api/*', fault: 'latency', latencyMs: LATENCY_MS }]);
    const path = `/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`;
    const res = await callGateway(gateway.api, path, { token: ana, method: 'PUT', body: { estadovalidacion: 'VALIDADA' }, ...WAIT });
    expectWriteBudget(res);

    await afterSlowHandlers();
    expect(writesTo('recetas')).toEqual([]);
    const receta = upstreams.mocks.state.data.recetas.items.find((item) => item._id === SEED_RECETA_IDS.anaPendingValid);
    expect(receta?.estadoValidacion).toBe('pendiente');

    upstreams.mocks.setFaults('recetas', []);
    expect((await callGateway(gateway.api, path, { token: ana, method: 'PUT', body: { estadovalidacion: 'VALIDADA' }, ...WAIT })).status).toBe(200);
  });
});
