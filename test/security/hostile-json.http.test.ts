// Hostile JSON bodies within (or just over) the body limits: deep nesting, huge arrays, long lists
// of bad values. Each gets a bounded 400/413/422 in the uniform body, calls no upstream, and the app
// keeps serving. What arrives is the body's text, so the app in process sees exactly what a socket
// would deliver; the limits that need a socket (chunked 413s, headers, slow clients) are in
// limits.sockets.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, createHarness, errorBody, tokens } from '../helpers/harness.js';

const BODY_LIMIT = 102_400;

const h = createHarness();
let token = '';
beforeAll(async () => {
  h.listen();
  token = await tokens.ana();
});
beforeEach(h.reset);
afterAll(h.close);

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await h.request(`${API}${path}`, { method: 'POST', token, body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await response.clone().text();
  return { status: response.status, text, code: (await errorBody(response)).code };
}

async function expectServing() {
  expect((await h.request(`${API}/health`)).status).toBe(200);
}

describe('hostile JSON shapes', () => {
  it.each([
    ['200 KB of [ on POST /facturas (under its 1 MiB limit)', '/facturas', '['.repeat(200_000)],
    ['200 KB of closed nested arrays on POST /facturas', '/facturas', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['90 KB of {"a": on POST /compras (under its limit)', '/compras', '{"a":'.repeat(18_000)],
  ])('answers 400 VALIDATION_ERROR to %s and keeps serving', async (_name, path, body) => {
    const answer = await post(path, body, { 'idempotency-key': 'lote-deep-1' });
    expect([answer.status, answer.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(h.calls()).toEqual([]);
    await expectServing();
  });

  it('answers 200 KB of nesting on POST /compras (over its limit) with 400 or 413', async () => {
    const answer = await post('/compras', '['.repeat(200_000));
    expect([400, 413]).toContain(answer.status);
    expect(['VALIDATION_ERROR', 'PAYLOAD_TOO_LARGE']).toContain(answer.code);
    await expectServing();
  });

  it('answers a JSON array of 100k numbers on POST /compras with 400 or 413, writing nothing', async () => {
    const numbers = JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i % 10));
    for (const body of [numbers, `{"productos":${numbers},"cantidades":${numbers}}`]) {
      const answer = await post('/compras', body);
      expect([400, 413]).toContain(answer.status);
      expect(['VALIDATION_ERROR', 'PAYLOAD_TOO_LARGE']).toContain(answer.code);
    }
    expect(h.calls()).toEqual([]);
    await expectServing();
  });

  it('answers 100k numbers as an invoice batch with a short 422 (no issue per item)', async () => {
    const answer = await post('/facturas', JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i)), { 'idempotency-key': 'lote-nums-1' });
    expect([answer.status, answer.code]).toEqual([422, 'VALIDATION_ERROR']);
    expect(answer.text.length).toBeLessThan(4096);
    expect(h.calls('facturas')).toEqual([]);
  });

  it('does not amplify a long array of bad quantities into a huge error body', async () => {
    // ~90 KB of request, one line: an issue per item would be a ~2 MB answer built in the event loop.
    const body = JSON.stringify({ productos: [1], cantidades: Array.from({ length: 22_000 }, () => 'x') });
    expect(body.length).toBeLessThan(BODY_LIMIT);
    const answer = await post('/compras', body);
    expect([answer.status, answer.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(answer.text.length).toBeLessThan(16 * 1024);
    expect(h.calls()).toEqual([]);
  });
});
