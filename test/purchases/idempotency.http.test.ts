// POST /compras with an Idempotency-Key, and many buyers racing for the last units of a product.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, createHarness, errorBody, tokens } from '../helpers/harness.js';

const h = createHarness({ UPSTREAM_TIMEOUT_MS: '3000' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

const stockOf = (id: number) => h.mocks.state.data.productos.items.find((item) => item.id === id)?.stock;
const registrations = () => h.calls('usuarios').filter((call) => call.method === 'POST' && call.path === '/api/compras');
const compras = () => h.mocks.state.data.usuarios.compras;
const SEEDED_COMPRAS = 4;

const PURCHASE = { productos: [{ producto_id: 1, cantidad: 2 }] };

async function buy(json: unknown, options: { token?: string; key?: string } = {}) {
  return h.request(`${API}/compras`, {
    method: 'POST',
    token: options.token ?? (await tokens.ana()),
    json,
    headers: options.key ? { 'idempotency-key': options.key } : {},
  });
}

describe('POST /compras with an Idempotency-Key', () => {
  it('registers once when the same key is sent twice, replaying the first answer with Idempotent-Replayed', async () => {
    const first = await buy(PURCHASE, { key: 'compra-001' });
    const second = await buy(PURCHASE, { key: 'compra-001' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
    expect(registrations()).toHaveLength(1);
    expect(compras()).toHaveLength(SEEDED_COMPRAS + 1);
    expect(stockOf(1)).toBe(98);
  });

  it('registers once when the same key arrives three times at the same moment', async () => {
    const token = await tokens.ana();
    const answers = await Promise.all([1, 2, 3].map(() => buy(PURCHASE, { token, key: 'compra-002' })));
    expect(answers.map((res) => res.status)).toEqual([201, 201, 201]);
    const bodies = await Promise.all(answers.map((res) => res.json()));
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(answers.filter((res) => res.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    expect(registrations()).toHaveLength(1);
    expect(h.writes('productos')).toHaveLength(1);
    expect(stockOf(1)).toBe(98);
  });

  it('keeps the same key of two different users apart', async () => {
    const ana = await buy(PURCHASE, { key: 'compra-003' });
    const luis = await buy(PURCHASE, { key: 'compra-003', token: await tokens.luis() });
    expect([ana.status, luis.status]).toEqual([201, 201]);
    expect(luis.headers.get('idempotent-replayed')).toBeNull();
    const [anaBody, luisBody] = (await Promise.all([ana.json(), luis.json()])) as Array<{ id: number; usuarioId: number }>;
    expect(anaBody?.id).not.toBe(luisBody?.id);
    expect([anaBody?.usuarioId, luisBody?.usuarioId]).toEqual([3, 4]);
    expect(registrations()).toHaveLength(2);
    expect(stockOf(1)).toBe(96);
  });

  it('forwards the key to the users service as idempotency-key', async () => {
    expect((await buy(PURCHASE, { key: 'compra-004' })).status).toBe(201);
    expect(registrations().map((call) => call.headers['idempotency-key'])).toEqual(['compra-004']);
  });

  it('does not send an idempotency-key upstream when the client sent none', async () => {
    expect((await buy(PURCHASE)).status).toBe(201);
    expect(registrations()[0]?.headers).not.toHaveProperty('idempotency-key');
  });

  it('lets a key whose first attempt failed with 409 be retried once the stock is there', async () => {
    const short = { productos: [{ producto_id: 4, cantidad: 5 }] };
    const failed = await buy(short, { key: 'compra-005' });
    expect(failed.status).toBe(409);
    expect((await errorBody(failed)).code).toBe('INSUFFICIENT_STOCK');

    const loratadina = h.mocks.state.data.productos.items.find((item) => item.id === 4);
    if (loratadina) loratadina.stock = 10;
    const retried = await buy(short, { key: 'compra-005' });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await retried.json()).toMatchObject({ productos: [4], cantidades: [5] });
    expect(registrations()).toHaveLength(1);
    expect(stockOf(4)).toBe(5);
  });

  it('registers two purchases for two different keys of the same user', async () => {
    const first = await buy(PURCHASE, { key: 'compra-006' });
    const second = await buy(PURCHASE, { key: 'compra-007' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(registrations()).toHaveLength(2);
    expect(stockOf(1)).toBe(96);
  });
});

describe('POST /compras under concurrency', () => {
  it('sells the last 2 units of a product to exactly 2 of 30 simultaneous buyers', async () => {
    const token = await tokens.ana();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => buy({ productos: [{ producto_id: 4, cantidad: 1 }] }, { token })),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(2);
    expect(statuses.filter((status) => status === 409)).toHaveLength(28);
    const refused = await Promise.all(answers.filter((res) => res.status === 409).map((res) => errorBody(res)));
    expect(new Set(refused.map((body) => body.code))).toEqual(new Set(['INSUFFICIENT_STOCK']));
    expect(stockOf(4)).toBe(0);
    expect(registrations()).toHaveLength(2);
  });

  it('keeps the stock exact when buyers of overlapping products race (no lost update, no deadlock)', async () => {
    const token = await tokens.ana();
    const bodies = [
      { productos: [{ producto_id: 1, cantidad: 1 }, { producto_id: 2, cantidad: 1 }] },
      { productos: [{ producto_id: 2, cantidad: 1 }, { producto_id: 1, cantidad: 1 }] },
    ];
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => buy(bodies[index % 2], { token })));
    expect(answers.map((res) => res.status)).toEqual(Array.from({ length: 10 }, () => 201));
    expect([stockOf(1), stockOf(2)]).toEqual([90, 70]);
    expect(registrations()).toHaveLength(10);
  });
});
