// The total request budget over real sockets: upstream calls that are each faster than
// UPSTREAM_TIMEOUT_MS but add up to more than REQUEST_TIMEOUT_MS end in a 504 within the budget,
// and the last call is abandoned at the deadline (the slow mock sees the hang-up and applies
// nothing), so no upstream call outlives the request.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_RECETA_IDS } from '../../mocks/index.js';
import { callGateway, startGateway, startUpstreams, tokens, type ChaosGateway, type Upstreams } from './helpers/chaos-gateway.js';

const REQUEST_TIMEOUT_MS = 1500;
const LATENCY_MS = 700;
const WAIT = { waitAtMostMs: REQUEST_TIMEOUT_MS + 2000 };

let upstreams: Upstreams;
let gateway: ChaosGateway;
let ana: string;

beforeAll(async () => {
  upstreams = await startUpstreams();
  gateway = await startGateway(upstreams.urls, { UPSTREAM_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
  ana = await tokens.ana();
});

afterAll(async () => {
  await gateway?.close();
  await upstreams?.close();
});

beforeEach(() => upstreams.mocks.reset());

/** Long enough for every delayed handler the gateway did not abandon to have run. */
const afterSlowHandlers = () => new Promise((resolve) => setTimeout(resolve, LATENCY_MS + 300));

describe('total request budget', () => {
  it('a purchase whose calls add up past the budget answers 504 and its last call never lands', async () => {
    upstreams.mocks.setFaults('productos', [{ path: '/api/productos/*', fault: 'latency', latencyMs: LATENCY_MS }]);
    upstreams.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'latency', latencyMs: LATENCY_MS }]);
    const res = await callGateway(gateway.api, '/compras', { token: ana, method: 'POST', body: { productos: [1], cantidades: [2] }, ...WAIT });
    expect(res.status).toBe(504);
    expect(res.body.code).toBe('UPSTREAM_TIMEOUT');
    // Usually the registration is cut short; on a slow machine the stock write may be instead.
    expect(['usuarios', 'productos']).toContain((res.body.details as { service: string }).service);

    await afterSlowHandlers();
    expect(upstreams.mocks.state.data.usuarios.compras).toHaveLength(4);
    const unknown = gateway.logs.entries().filter((entry) => entry.level === 50 && /outcome unknown/.test(String(entry.msg)));
    expect(unknown.length).toBeGreaterThanOrEqual(1);
  });

  it('a prescription validation whose calls add up past the budget answers 504 and leaves the state as it was', async () => {
    upstreams.mocks.setFaults('recetas', [{ path: '/api/*', fault: 'latency', latencyMs: LATENCY_MS }]);
    const path = `/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`;
    const res = await callGateway(gateway.api, path, { token: ana, method: 'PUT', body: { estadovalidacion: 'VALIDADA' }, ...WAIT });
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { service: 'recetas' } });

    await afterSlowHandlers();
    const receta = upstreams.mocks.state.data.recetas.items.find((item) => item._id === SEED_RECETA_IDS.anaPendingValid);
    expect(receta?.estadoValidacion).toBe('pendiente');

    upstreams.mocks.setFaults('recetas', []);
    expect((await callGateway(gateway.api, path, { token: ana, method: 'PUT', body: { estadovalidacion: 'VALIDADA' }, ...WAIT })).status).toBe(200);
  });
});
