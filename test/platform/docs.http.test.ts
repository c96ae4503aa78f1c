// The self-description of the gateway: the OpenAPI 3.1 document, the offline Swagger UI and the
// Prometheus metrics, all served without a token.
import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_RECETA_IDS } from '../../mocks/index.js';
import { API, BASE_URLS, createHarness, tokens } from '../helpers/harness.js';

const h = createHarness();
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

interface Operation {
  security?: Array<Record<string, unknown>>;
  responses: Record<string, unknown>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

const PUBLIC_PATHS = ['/health', '/echo', '/ready'].map((path) => `${API}${path}`);
const AUTHENTICATED_PATHS = [
  '/compras',
  '/compras/me',
  '/compras/all',
  '/recetas/estado/{receta_id}',
  '/recetas/validar/{receta_id}',
].map((path) => `${API}${path}`);

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);
const operations = (document: OpenApiDocument, path: string) =>
  Object.entries(document.paths[path] ?? {}).filter(([method]) => HTTP_METHODS.has(method));

describe('GET /api/schema', () => {
  let response: Response;
  let document: OpenApiDocument;
  // The document depends only on the routes: read once.
  beforeAll(async () => {
    response = await h.request('/api/schema');
    document = (await response.clone().json()) as OpenApiDocument;
  });

  it('is an OpenAPI 3.1 JSON document declaring the bearer security scheme', () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(document.openapi.startsWith('3.1')).toBe(true);
    expect(document.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('describes every endpoint of the contract', () => {
    for (const path of [...PUBLIC_PATHS, ...AUTHENTICATED_PATHS]) {
      expect(Object.keys(document.paths), path).toContain(path);
      expect(operations(document, path).length, path).toBeGreaterThan(0);
    }
    expect(operations(document, `${API}/compras`).map(([method]) => method)).toContain('post');
    expect(operations(document, `${API}/recetas/estado/{receta_id}`).map(([method]) => method)).toContain('put');
  });

  it('requires the bearer scheme on each authenticated operation, with 401 and 503 answers', () => {
    for (const path of AUTHENTICATED_PATHS) {
      for (const [method, operation] of operations(document, path)) {
        const where = `${method} ${path}`;
        expect(operation.security, where).toEqual(expect.arrayContaining([expect.objectContaining({ bearerAuth: [] })]));
        expect(Object.keys(operation.responses), where).toEqual(expect.arrayContaining(['401', '503']));
      }
    }
  });

  it('documents the specific answers of the prescription and admin routes', () => {
    const [, setState] = operations(document, `${API}/recetas/estado/{receta_id}`)[0] ?? [];
    expect(Object.keys(setState?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '403', '404', '422', '504']));
    const [, listAll] = operations(document, `${API}/compras/all`)[0] ?? [];
    expect(Object.keys(listAll?.responses ?? {})).toContain('403');
  });

  it('does not require a token for health, echo and ready', () => {
    for (const path of PUBLIC_PATHS) {
      for (const [, operation] of operations(document, path)) expect(operation.security ?? []).toEqual([]);
    }
    const [, ready] = operations(document, `${API}/ready`)[0] ?? [];
    expect(Object.keys(ready?.responses ?? {})).toEqual(expect.arrayContaining(['200', '503']));
  });
});

describe('GET /api/docs', () => {
  it('serves a Swagger UI page that loads its assets locally', async () => {
    const response = await h.request('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('/api/docs/swagger-ui-bundle.js');
    expect(html).toContain('/api/schema');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves the Swagger UI bundle as JavaScript', async () => {
    const response = await h.request('/api/docs/swagger-ui-bundle.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(await response.text()).toContain('SwaggerUIBundle');
  });
});

describe('GET /metrics', () => {
  const scrape = async () => {
    const response = await h.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return (await response.text()).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  };
  /** Samples whose metric name contains `fragment`, as {name, labels}. */
  const samples = (lines: string[], fragment: string) =>
    lines
      .map((line) => /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null && (match[1] ?? '').includes(fragment))
      .map((match) => ({ name: match[1] ?? '', labels: match[2] ?? '', value: Number(match[3]) }));

  it('counts upstream calls by service and outcome', async () => {
    await h.request(`${API}/compras/me`, { token: await tokens.ana() });
    h.msw.use(http.get(`${BASE_URLS.usuarios}/api/compras/me`, () => HttpResponse.text('boom', { status: 500 })));
    await h.request(`${API}/compras/me`, { token: await tokens.ana() });
    const upstream = samples(await scrape(), 'upstream').filter((s) => s.labels.includes('outcome='));
    expect(upstream.some((s) => s.labels.includes('service="usuarios"') && s.value > 0)).toBe(true);
    expect(upstream.some((s) => s.labels.includes('service="productos"') && s.value > 0)).toBe(true);
    const outcomes = new Set(upstream.filter((s) => s.labels.includes('service="usuarios"')).map((s) => /outcome="([^"]+)"/.exec(s.labels)?.[1]));
    expect(outcomes.size).toBeGreaterThanOrEqual(2);
  });

  it('measures the time purchases wait for their stock locks', async () => {
    const response = await h.request(`${API}/compras`, {
      method: 'POST',
      token: await tokens.ana(),
      json: { productos: [{ producto_id: 1, cantidad: 1 }] },
    });
    expect(response.status).toBe(201);
    const waits = samples(await scrape(), 'stock_lock_wait').filter((s) => s.name.endsWith('_count'));
    expect(waits.some((s) => s.labels.includes('outcome="acquired"') && s.value >= 1)).toBe(true);
  });

  it('exposes the breaker state of every service', async () => {
    const breaker = samples(await scrape(), 'breaker');
    for (const service of ['usuarios', 'productos', 'recetas', 'tareas', 'facturas']) {
      expect(breaker.some((s) => s.labels.includes(`service="${service}"`)), service).toBe(true);
    }
  });

  it('counts requests by route template and status, never by raw path', async () => {
    await h.request(`${API}/compras/me`, { token: await tokens.ana() });
    await h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      method: 'PUT',
      token: await tokens.ana(),
      json: { estadovalidacion: 'VALIDADA' },
    });
    await h.request(`${API}/no-such-route-12345`);
    const lines = await scrape();
    const requests = samples(lines, 'request');
    expect(
      requests.some((s) => s.labels.includes(`route="${API}/compras/me"`) && s.labels.includes('status="200"') && s.value === 1),
    ).toBe(true);
    expect(requests.some((s) => s.labels.includes('route=') && s.labels.includes('recetas/estado'))).toBe(true);
    const text = lines.join('\n');
    expect(text).not.toContain(SEED_RECETA_IDS.anaPendingValid);
    expect(text).not.toContain('no-such-route-12345');
  });
});
