// Server-Timing is on every answer under /api/orchestrator, refusals and unknown routes included:
// `total` always, and one entry per upstream call where there were any.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, createHarness, tokens } from '../helpers/harness.js';

const h = createHarness({ BODY_LIMIT_BYTES: '1024' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

const TOTAL = /(^|,\s*)total;dur=\d+(\.\d+)?/;

describe('Server-Timing', () => {
  it.each([
    ['401 without a token', () => h.request(`${API}/compras/me`)],
    ['401 with a bad token', () => h.request(`${API}/compras/me`, { token: 'not.a.jwt' })],
    ['404 for an unknown route', () => h.request(`${API}/nope`)],
    ['413 for a body over the limit', async () => h.request(`${API}/compras`, { method: 'POST', token: await tokens.ana(), json: { x: 'y'.repeat(4000) } })],
    ['400 for an invalid body', async () => h.request(`${API}/compras`, { method: 'POST', token: await tokens.ana(), json: { productos: [] } })],
    ['200 of a probe', () => h.request(`${API}/health`)],
    ['200 of a catalogue page', () => h.request(`${API}/productos/paged`)],
  ])('is on the %s', async (_name, send) => {
    const res = await send();
    expect(res.headers.get('server-timing')).toMatch(TOTAL);
  });

  it('names each upstream call of an answer that made some', async () => {
    const res = await h.request(`${API}/compras/me`, { token: await tokens.ana() });
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toMatch(/usuarios;dur=[\d.]+;desc="listMyPurchases"/);
  });

  it('is not added outside the API (the document)', async () => {
    const res = await h.request('/api/schema');
    expect(res.headers.get('server-timing')).toBeNull();
  });
});
