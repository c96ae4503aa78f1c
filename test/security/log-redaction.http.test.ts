// What the gateway writes to its log, greped: every kind of line (request lines, auth failures,
// upstream errors whose bodies echo the caller's token and DNI, the purchase reconciliation line,
// stock-restore failures) is produced at debug level, and the captured text holds no token, no
// Bearer value, no JWT secret and no raw DNI. The reconciliation line still lets an operator
// match the purchase: masked DNI, request id, products and quantities. The logger's redaction
// rules themselves: log-redaction.unit.
import { delay, http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_DNI, SEED_RECETA_IDS } from '../../mocks/index.js';
import { createApp } from '../../src/app.js';
import { createDeps, type GatewayDeps } from '../../src/deps.js';
import { createLogger, maskDni } from '../../src/observability/logger.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { API, BASE_URLS, LogCapture, TEST_SECRET, createHarness, mswDispatcher, testConfig, tokens } from '../helpers/harness.js';

const ENV = { UPSTREAM_TIMEOUT_MS: '200', REQUEST_TIMEOUT_MS: '1000' };
const RAW_DNIS = [SEED_DNI.ana, SEED_DNI.luis, SEED_DNI.admin];
const PRODUCT = `${BASE_URLS.productos}/api/productos/:id`;
const REGISTER = `${BASE_URLS.usuarios}/api/compras`;
const MY_PURCHASES = `${BASE_URLS.usuarios}/api/compras/me`;
const BASKET = { productos: [{ producto_id: 1, cantidad: 2 }, { producto_id: 5, cantidad: 1 }] };

// The harness provides the msw upstreams; the app under test logs at debug level into `logs`.
const h = createHarness(ENV);
const logs = new LogCapture();
let deps: GatewayDeps;
let app: ReturnType<typeof createApp>;
let ana = '';
let admin = '';

beforeAll(async () => {
  h.listen();
  ana = await tokens.ana();
  admin = await tokens.admin();
});
beforeEach(() => {
  h.reset();
  deps?.close();
  logs.lines.length = 0;
  deps = createDeps(testConfig(ENV), {
    logger: createLogger('debug', logs),
    metrics: new GatewayMetrics({ processMetrics: false }),
    upstreamDispatcher: mswDispatcher,
  });
  app = createApp(deps);
});
afterAll(() => {
  deps?.close();
  h.close();
});

function call(path: string, init: { method?: string; token?: string; json?: unknown; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  return app.request(`${API}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
}

/** The captured log holds none of the secrets, whatever line they could have hidden in. */
/**
 * The spec requires the reconciliation line of an unknown-outcome purchase to name the caller:
 * it is the one line allowed to carry a raw DNI, in `callerDni`. Every other line is checked raw.
 */
const isReconciliation = (line: string) => /"callerDni"/.test(line) && /reconcile/.test(line);

function expectNothingSensitive(...usedTokens: string[]) {
  const text = logs.lines.filter((line) => !isReconciliation(line)).join('\n');
  expect(logs.lines.length).toBeGreaterThan(0);
  for (const token of usedTokens) {
    expect(text).not.toContain(token);
    for (const part of token.split('.')) if (part.length > 8) expect(text).not.toContain(part);
  }
  expect(text).not.toMatch(/Bearer\s+ey/i);
  expect(text).not.toMatch(/bearer\s+[\w\-.~+/]{8,}/i);
  expect(text).not.toContain(TEST_SECRET);
  for (const dni of RAW_DNIS) expect(text).not.toContain(dni);
}

const errorLines = () => logs.entries().filter((entry) => entry.level === 50);

describe('log redaction', () => {
  it('request lines of successful and failed requests carry no token', async () => {
    expect((await call('/compras/me', { token: ana, headers: { 'x-request-id': 'log-ok' } })).status).toBe(200);
    expect((await call('/compras/all', { token: admin })).status).toBe(200);
    const requestLines = logs.entries().filter((entry) => entry.msg === 'request');
    expect(requestLines.map((entry) => entry.status)).toEqual([200, 200]);
    expect(logs.text()).toContain('log-ok');
    expectNothingSensitive(ana, admin);
  });

  it('auth failures (forged, expired, malformed, query-string tokens) log no token', async () => {
    const forged = `${ana.slice(0, -6)}AAAAAA`;
    const tokenInPath = ana;
    expect((await call('/compras/me', { token: forged })).status).toBe(401);
    expect((await call('/compras/me', { headers: { authorization: 'Bearer not-a-token-at-all' } })).status).toBe(401);
    expect((await call(`/compras/me?token=${ana}&access_token=${ana}`)).status).toBe(401);
    expect((await call(`/compras/${tokenInPath}`, { token: ana })).status).toBe(404);
    expect((await call('/compras', { method: 'POST', token: forged, json: BASKET })).status).toBe(401);
    const debugLines = logs.entries().filter((entry) => entry.level === 20);
    expect(debugLines.some((entry) => entry.code === 'UNAUTHENTICATED')).toBe(true);
    expectNothingSensitive(ana, forged, 'not-a-token-at-all');
  });

  it('upstream error lines whose bodies echo the Authorization header and the DNI are scrubbed', async () => {
    const echo = async ({ request }: { request: Request }) =>
      HttpResponse.json(
        {
          message: `Rechazado ${request.headers.get('authorization')} para DNI ${SEED_DNI.ana}`,
          dni: SEED_DNI.ana,
          usuario: { dni: SEED_DNI.ana, token: ana },
          nested: { deeper: { pacienteDNI: SEED_DNI.ana, authorization: request.headers.get('authorization') } },
        },
        { status: 418 },
      );
    h.msw.use(http.get(MY_PURCHASES, echo), http.post(REGISTER, echo));
    expect((await call('/compras/me', { token: ana })).status).toBe(503);
    expect((await call('/compras', { method: 'POST', token: ana, json: BASKET })).status).toBe(503);

    // A 2xx that is not JSON: the parser's message quotes the start of the body.
    h.msw.use(http.get(MY_PURCHASES, ({ request }) => new HttpResponse(`${request.headers.get('authorization')} ${SEED_DNI.ana}`, { status: 200 })));
    expect((await call('/compras/me', { token: ana })).status).toBe(503);
    // A 500 and a dropped connection.
    h.msw.use(http.get(MY_PURCHASES, () => HttpResponse.text(`boom ${SEED_DNI.ana}`, { status: 500 })));
    expect((await call('/compras/me', { token: ana })).status).toBe(503);
    h.msw.use(http.get(MY_PURCHASES, () => HttpResponse.error()));
    expect((await call('/compras/me', { token: ana })).status).toBe(503);

    expect(errorLines().length).toBeGreaterThanOrEqual(5);
    expect(errorLines().every((entry) => entry.err !== undefined)).toBe(true);
    expect(logs.text()).toContain(maskDni(SEED_DNI.ana));
    expectNothingSensitive(ana);
  });

  it('prescription error lines mask the patient DNI the service echoes', async () => {
    h.msw.use(
      http.get(`${BASE_URLS.recetas}/api/recetas/:id`, () =>
        HttpResponse.json({ error: `Paciente ${SEED_DNI.luis} bloqueado`, pacienteDNI: SEED_DNI.luis }, { status: 418 }),
      ),
    );
    const response = await call(`/recetas/estado/${SEED_RECETA_IDS.luisPending}`, {
      method: 'PUT',
      token: admin,
      json: { estadovalidacion: 'VALIDADA' },
    });
    expect(response.status).toBe(503);
    expect(errorLines()).toHaveLength(1);
    expectNothingSensitive(admin);
  });

  it('the reconciliation line of a registration timeout names the caller (spec), the products and quantities, and no token', async () => {
    h.msw.use(
      http.post(REGISTER, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const response = await call('/compras', { method: 'POST', token: ana, json: BASKET });
    expect(response.status).toBe(504);
    const reconciliation = errorLines().filter((entry) => /reconcile/.test(String(entry.msg)));
    expect(reconciliation).toHaveLength(1);
    expect(reconciliation[0]).toMatchObject({
      requestId: response.headers.get('x-request-id'),
      callerDni: SEED_DNI.ana,
      lines: [
        { producto_id: 1, cantidad: 2 },
        { producto_id: 5, cantidad: 1 },
      ],
    });
    expectNothingSensitive(ana);
    const reconciliationLine = logs.lines.find(isReconciliation) ?? '';
    expect(reconciliationLine).not.toContain(ana.split('.')[2]);
    expect(reconciliationLine).not.toMatch(/Bearer\s+ey/i);
  });

  it('a failed stock restore logs the product and quantity to add back, and no secret', async () => {
    let stockWrites = 0;
    h.msw.use(
      http.post(REGISTER, () => HttpResponse.text(`NullPointerException for ${SEED_DNI.ana}`, { status: 500 })),
      // The decrement goes through to the mock; the restore that follows fails.
      http.put(PRODUCT, () => {
        stockWrites += 1;
        return stockWrites > 1 ? HttpResponse.text(`down ${SEED_DNI.ana}`, { status: 500 }) : undefined;
      }),
    );
    const response = await call('/compras', { method: 'POST', token: ana, json: { productos: [{ producto_id: 1, cantidad: 2 }] } });
    expect(response.status).toBe(503);
    const restore = errorLines().filter((entry) => /stock restore failed/.test(String(entry.msg)));
    expect(restore).toHaveLength(1);
    expect(restore[0]).toMatchObject({ producto_id: 1, cantidad: 2, requestId: response.headers.get('x-request-id') });
    expectNothingSensitive(ana);
  });
});
