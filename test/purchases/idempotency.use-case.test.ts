// The idempotency rules of registerPurchase over in-memory fakes and the memory record store:
// keyed replays and conflicts, a failed attempt left free, an unknown outcome resolved by a keyed
// retry, and double submits of one body without a key. The headers the client sees for them are
// in register-purchase.http / purchase-failures.http; across processes in idempotency-across-processes.sockets.
import { describe, expect, it } from 'vitest';
import { PurchaseWorld, refusalOf, type Lines } from '../helpers/purchase-fakes.js';

const warned = (world: PurchaseWorld, pattern: RegExp) =>
  world.logger.at('warn').filter((entry) => pattern.test(entry.message)).map((entry) => entry.fields);

describe('a keyed purchase', () => {
  it('registers once and replays the first answer to the same key, forwarding the key upstream', async () => {
    const world = new PurchaseWorld();
    const first = await world.buy([[1, 2]], { key: 'compra-001' });
    const second = await world.buy([[1, 2]], { key: 'compra-001' });
    expect([first.replayed, second.replayed]).toEqual([false, true]);
    expect(second.purchase).toEqual(first.purchase);
    expect(world.args('registerPurchase')).toEqual([[{ productos: [1], cantidades: [2], idempotencyKey: 'compra-001' }]]);
    expect([world.args('setStock'), world.purchases.length]).toEqual([[[1, 98]], 5]);
    // Its history is read beside the products (the record's baseline), once: a replay reads nothing.
    expect(world.count('listMyPurchases')).toBe(1);
  });

  it('answers 5 concurrent sends and a later retry with one purchase; the key of another caller, or another key, is another', async () => {
    const world = new PurchaseWorld();
    world.usuarios.latencyMs = 20;
    const answers = await Promise.all(Array.from({ length: 5 }, () => world.buy([[2, 2]], { key: 'k' })));
    expect(new Set(answers.map((answer) => JSON.stringify(answer.purchase))).size).toBe(1);
    expect(answers.filter((answer) => answer.replayed)).toHaveLength(4);
    expect(await world.buy([[2, 2]], { key: 'k' })).toEqual({ purchase: answers[0]?.purchase, replayed: true });
    expect([world.count('registerPurchase'), world.count('setStock'), world.stock(2)]).toEqual([1, 1, 78]);

    const luis = await world.buy([[2, 2]], { key: 'k', who: 'luis' });
    const another = await world.buy([[2, 2]], { key: 'k-2' });
    expect([luis.replayed, luis.purchase.usuarioId, another.replayed, another.purchase.usuarioId]).toEqual([false, 4, false, 3]);
    expect(new Set([answers[0]?.purchase.id, luis.purchase.id, another.purchase.id]).size).toBe(3);
    expect([world.count('registerPurchase'), world.stock(2)]).toEqual([3, 74]);
  });

  it('replays the same merged lines in another order and split', async () => {
    const world = new PurchaseWorld();
    await world.buy([[1, 1], [5, 2], [1, 1]], { key: 'k-1' });
    expect((await world.buy([[5, 2], [1, 2]], { key: 'k-1' })).replayed).toBe(true);
    expect(world.count('registerPurchase')).toBe(1);
  });

  it('refuses the key with another body (IDEMPOTENCY_KEY_REUSED), writing nothing', async () => {
    const world = new PurchaseWorld();
    await world.buy([[1, 1]], { key: 'k-2' });
    const writes = world.writes().length;
    expect((await refusalOf(world.buy([[1, 2]], { key: 'k-2' }))).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(world.writes()).toHaveLength(writes);
  });

  it.each<{ name: string; lines: Lines; error: string; first?: (w: PurchaseWorld) => void; then?: (w: PurchaseWorld) => void; left: number }>([
    { name: '409: the stock was short', lines: [[4, 5]], error: 'INSUFFICIENT_STOCK', then: (w) => w.restock(4, 10), left: 5 },
    { name: '503: the registration failed', lines: [[4, 1]], error: 'usuarios unavailable', first: (w) => void w.usuarios.on('registerPurchase', { fail: 'unavailable', times: 1 }), left: 1 },
  ])('lets a key whose first attempt failed ($name) register on a retry', async ({ lines, error, first, then, left }) => {
    const world = new PurchaseWorld();
    first?.(world);
    expect(await world.outcome(world.buy(lines, { key: 'k-3' }))).toEqual({ error });
    then?.(world);
    const retried = await world.buy(lines, { key: 'k-3' });
    expect(retried.replayed).toBe(false);
    expect(retried.purchase).toMatchObject({ productos: [4], cantidades: [lines[0]?.[1]] });
    expect([world.purchases.length, world.stock(4)]).toEqual([5, left]);
  });
});

describe('a keyed retry after an unknown outcome', () => {
  it('replays the registration that landed late: one purchase, one stock write', async () => {
    const world = new PurchaseWorld();
    world.usuarios.on('registerPurchase', { fail: 'timeout', applied: true, times: 1 });
    const first = await refusalOf(world.buy([[1, 2]], { key: 'late-1' }));
    expect([first.code, first.details, world.stock(1)]).toEqual(['UPSTREAM_TIMEOUT', { service: 'usuarios' }, 98]);
    const retried = await world.buy([[1, 2]], { key: 'late-1' });
    expect(retried.replayed).toBe(true);
    expect(retried.purchase).toMatchObject({ id: 5, productos: [1], cantidades: [2], total: 7 });
    expect(world.purchases.filter((purchase) => purchase.usuarioId === 3)).toHaveLength(4);
    expect([world.count('registerPurchase'), world.count('setStock'), world.stock(1)]).toEqual([1, 1, 98]);
    expect(warned(world, /had landed/)).toEqual([expect.objectContaining({ idempotencyKey: 'late-1', purchaseId: 5 })]);
  });

  it('registers now with the stock already taken when the first registration never landed, then replays that', async () => {
    const world = new PurchaseWorld();
    world.usuarios.on('registerPurchase', { fail: 'timeout', times: 1 });
    expect((await refusalOf(world.buy([[1, 2]], { key: 'lost-1' }))).code).toBe('UPSTREAM_TIMEOUT');
    const retried = await world.buy([[1, 2]], { key: 'lost-1' });
    expect(retried.replayed).toBe(false);
    expect([world.count('setStock'), world.stock(1)]).toEqual([1, 98]);
    expect(warned(world, /registered now/)).toEqual([expect.objectContaining({ idempotencyKey: 'lost-1', purchaseId: retried.purchase.id })]);
    expect(await world.buy([[1, 2]], { key: 'lost-1' })).toEqual({ purchase: retried.purchase, replayed: true });
    expect([world.count('setStock'), world.count('registerPurchase')]).toEqual([1, 2]);
  });

  it('refuses with 504 write_budget and Retry-After, writing nothing, when the retry cannot wait out the first registration', async () => {
    const world = new PurchaseWorld();
    world.usuarios.on('registerPurchase', { fail: 'timeout', times: 1 });
    await refusalOf(world.buy([[1, 1]], { key: 'tight-1' }));
    const writes = world.writes().length;
    // The first call was given up just now: waiting it out and registering need 2 x 50 ms.
    const error = await refusalOf(world.buy([[1, 1]], { key: 'tight-1', budgetMs: 60 }));
    expect([error.code, error.details]).toEqual(['UPSTREAM_TIMEOUT', { stage: 'write_budget' }]);
    expect(error.headers['Retry-After']).toMatch(/^[1-9]\d*$/);
    expect(world.writes()).toHaveLength(writes);
  });
});

describe('the same body again without a key, within DOUBLE_SUBMIT_WINDOW_MS', () => {
  const windowed = () => new PurchaseWorld({ doubleSubmitWindowMs: 600 });

  it('gets the first answer, sent at once or later in the window', async () => {
    const world = windowed();
    const both = await Promise.all([world.buy([[1, 1]]), world.buy([[1, 1]])]);
    expect(both.map((answer) => answer.replayed).sort()).toEqual([false, true]);
    expect((await world.buy([[1, 1]])).replayed).toBe(true);
    expect(world.count('registerPurchase')).toBe(1);
  });

  it('does not hold for another body, after the window, or between keyed and unkeyed purchases', async () => {
    const world = windowed();
    await world.buy([[1, 1]]);
    expect((await world.buy([[1, 2]])).replayed).toBe(false);
    world.advance(700);
    expect((await world.buy([[1, 1]])).replayed).toBe(false);
    expect((await world.buy([[2, 1]], { key: 'keyed-1' })).replayed).toBe(false);
    expect((await world.buy([[2, 1]])).replayed).toBe(false);
    expect((await world.buy([[2, 1]], { key: 'keyed-2' })).replayed).toBe(false);
    expect(world.count('registerPurchase')).toBe(6);
  });

  it('answers a second click after an unknown outcome with the same error, replayed, taking no stock twice', async () => {
    const world = windowed();
    world.usuarios.on('registerPurchase', { fail: 'timeout' });
    const first = await refusalOf(world.buy([[1, 1]]));
    const second = await refusalOf(world.buy([[1, 1]]));
    expect([first.code, first.text?.key, first.headers]).toEqual(['UPSTREAM_TIMEOUT', 'purchase.outcome_unknown', {}]);
    expect([second.code, second.text?.key, second.headers]).toEqual(['UPSTREAM_TIMEOUT', 'purchase.outcome_unknown', { 'Idempotent-Replayed': 'true' }]);
    expect([world.count('setStock'), world.count('registerPurchase')]).toEqual([1, 1]);
  });
});
