// Server-Timing on aggregated answers, and load shedding (503 OVERLOADED, readiness reports it).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, createHarness, errorBody, tokens } from '../helpers/harness.js';

const h = createHarness({ LOAD_SHED_MAX_IN_FLIGHT: '2' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

/** Parses `name;dur=1.2;desc="x", ...` into entries. */
function serverTiming(header: string | null) {
  return (header ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => {
      const [name, ...params] = entry.trim().split(';');
      const fields = Object.fromEntries(params.map((param) => param.split('=') as [string, string]));
      return { name, dur: Number(fields.dur), desc: fields.desc?.replaceAll('"', '') };
    });
}

describe('Server-Timing', () => {
  it('lists every upstream call of GET /compras/me and the total', async () => {
    const res = await h.request(`${API}/compras/me`, { token: await tokens.ana() });
    expect(res.status).toBe(200);
    const entries = serverTiming(res.headers.get('server-timing'));
    const upstreamCalls = h.calls().length;
    expect(entries.filter((entry) => entry.name === 'usuarios').map((entry) => entry.desc)).toEqual(['listMyPurchases']);
    expect(entries.filter((entry) => entry.name === 'productos')).toHaveLength(upstreamCalls - 1);
    expect(entries.filter((entry) => entry.name === 'total')).toHaveLength(1);
    for (const entry of entries) expect(entry.dur).toBeGreaterThanOrEqual(0);
  });

  it('marks a failed call with its outcome', async () => {
    const res = await h.request(`${API}/recetas/estado/0123456789abcdef01234567`, {
      method: 'PUT',
      token: await tokens.ana(),
      json: { estadovalidacion: 'VALIDADA' },
    });
    expect(res.status).toBe(404);
    const entries = serverTiming(res.headers.get('server-timing'));
    expect(entries.find((entry) => entry.name === 'recetas')?.desc).toBe('getPrescription (rejected)');
  });
});

describe('load shedding', () => {
  it('answers 503 OVERLOADED with Retry-After, and /ready says overloaded, while too many requests are in flight', async () => {
    const token = await tokens.ana();
    // Two requests held in flight (the limit), a third over it.
    h.deps.loadMonitor.enter();
    h.deps.loadMonitor.enter();
    h.deps.loadMonitor.enter();
    try {
      const res = await h.request(`${API}/compras/me`, { token });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = await errorBody(res);
      expect(body.code).toBe('OVERLOADED');
      expect(h.calls()).toHaveLength(0);

      const ready = await h.request(`${API}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'overloaded', load: { overloaded: true, inFlight: 3 } });
      expect((await h.request(`${API}/health`)).status).toBe(200);
    } finally {
      h.deps.loadMonitor.leave();
      h.deps.loadMonitor.leave();
      h.deps.loadMonitor.leave();
    }
    const res = await h.request(`${API}/compras/me`, { token });
    expect(res.status).toBe(200);
    expect(await (await h.request(`${API}/ready`)).json()).toMatchObject({ status: 'ready' });
  });
});
