// Stock over real sockets: 200 buyers on separate connections, four callers, one product with
// stock 50. The gateway sells exactly 50, every stock write reads the one before it (no lost
// update), and nothing is logged as an error. What a failed registration or stock write gives back
// is checked on the use-case (register-purchase.use-case.test.ts), where it needs no sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../mocks/index.js';
import { tokens } from '../helpers/harness.js';
import { callGateway, recordedCalls, startGatewayUnderTest, startMockServersUnderTest, type GatewayAnswer, type MockServersUnderTest } from '../helpers/socket-gateway.js';

const IBUPROFENO = 2; // stock 80, no prescription
/** Budgets that fit 200 purchases queued on one product's stock lock. */
const CONCURRENCY_ENV = { UPSTREAM_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '30000', LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0' };

let upstreams: MockServersUnderTest;
beforeAll(async () => {
  upstreams = await startMockServersUnderTest();
});
afterAll(async () => {
  await upstreams?.close();
});

const statusCounts = (answers: GatewayAnswer[]) =>
  answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

describe('200 concurrent purchases of a product with stock 50', () => {
  it('sells exactly 50, answers 409 to the rest, and registers 50 purchases', async () => {
    const gw = await startGatewayUnderTest(CONCURRENCY_ENV, {}, { upstreams, captureLogs: true });
    try {
      const callers = await Promise.all([tokens.ana(), tokens.luis(), tokens.pedro(), tokens.admin()]);
      const set = await fetch(`${upstreams.urls.productos}/api/productos/${IBUPROFENO}`, {
        method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stock: 50 }),
      });
      expect(set.status).toBe(200);

      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          callGateway(gw.api, '/compras', {
            token: callers[i % callers.length],
            method: 'POST',
            body: { productos: [{ producto_id: IBUPROFENO, cantidad: 1 }], datos_adicionales: { metodo_pago: 'tarjeta' } },
          }),
        ),
      );
      expect(statusCounts(answers)).toEqual({ 201: 50, 409: 150 });
      for (const refused of answers.filter((answer) => answer.status === 409)) {
        expect(refused.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', details: { producto_id: IBUPROFENO, disponible: 0, solicitado: 1 } });
      }
      expect(upstreams.mocks.state.data.productos.items.find((p) => p.id === IBUPROFENO)?.stock).toBe(0);
      const registered = (await recordedCalls(upstreams.urls, 'usuarios')).filter((call) => call.method === 'POST' && call.path === '/api/compras');
      expect(registered).toHaveLength(50);
      expect(new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id)).size).toBe(50);
      // Every write read the stock the previous one wrote (a batch of buyers per write, group commit):
      // strictly decreasing to 0, no value written twice (a lost update would repeat one). The
      // gateway's calls carry X-Request-Id; the test's own set-up does not.
      const writes = (await recordedCalls(upstreams.urls, 'productos'))
        .filter((call: RecordedCall) => call.method === 'PUT' && call.path === `/api/productos/${IBUPROFENO}` && 'x-request-id' in call.headers)
        .map((call) => (call.body as { stock: number }).stock);
      expect([...writes].sort((a, b) => b - a)).toEqual(writes);
      expect(new Set(writes).size).toBe(writes.length);
      expect(writes.at(-1)).toBe(0);
      expect((await callGateway(gw.api, '/compras/me', { token: callers[0] })).status).toBe(200);
      expect(gw.logs.entries().filter((entry) => entry.level === 50)).toEqual([]);
    } finally {
      await gw.close();
    }
  }, 60_000);
});
