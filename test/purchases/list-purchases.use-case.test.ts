// listMyPurchases and listAllPurchases over in-memory fakes: each product read once, degraded lines
// when a product cannot be read, newest first and only the page's products read. The listings as
// the client sees them (headers, wording, roles, query validation) are in listing.http.test.ts.
import { describe, expect, it } from 'vitest';
import { listAllPurchases, listMyPurchases } from '../../src/domain/purchases/list-purchases.js';
import { PurchaseWorld, type Rule } from '../helpers/purchase-fakes.js';

const world = () => new PurchaseWorld();
const detail = (w: PurchaseWorld, producto_id: number, cantidad: number) => {
  const { id: _id, ...fields } = w.product(producto_id) ?? {};
  return { producto_id, cantidad, ...fields };
};
const unavailable = (producto_id: number, cantidad: number) => ({ producto_id, cantidad, error: 'text.product_unavailable' });
const linesById = (compras: Array<{ id: number; productos_detalle: unknown[] }>) =>
  Object.fromEntries(compras.map((compra) => [compra.id, compra.productos_detalle]));

describe("the caller's purchases", () => {
  it('come with their product details, each product read once however many purchases mention it', async () => {
    const w = world();
    const listing = await listMyPurchases(w.deps, w.ctx('ana'));
    expect(listing.complete).toBe(true);
    expect(linesById(listing.compras)).toEqual({
      1: [detail(w, 1, 2), detail(w, 3, 1)],
      2: [detail(w, 2, 1), detail(w, 5, 3)],
      3: [detail(w, 1, 4)],
    });
    expect(w.args('getProduct').flat().sort()).toEqual([1, 2, 3, 5]);
    expect(w.count('listMyPurchases')).toBe(1);
  });

  it('are an empty, complete list for a caller without purchases, reading no product', async () => {
    const w = world();
    expect(await listMyPurchases(w.deps, w.ctx('pedro'))).toEqual({ compras: [], complete: true });
    expect(w.count('getProduct')).toBe(0);
  });

  it('show a purchase just registered with the stock as it is now', async () => {
    const w = world();
    await w.buy([[4, 2]], { who: 'pedro' });
    const listing = await listMyPurchases(w.deps, w.ctx('pedro'));
    expect(listing.compras.map((compra) => compra.productos_detalle)).toEqual([[{ ...detail(w, 4, 2), stock: 0 }]]);
  });

  it.each<[string, Rule<[number]>, (w: PurchaseWorld) => Record<number, unknown[]>]>([
    ['the products service is down', { fail: 'unavailable' }, () => ({
      1: [unavailable(1, 2), unavailable(3, 1)],
      2: [unavailable(2, 1), unavailable(5, 3)],
      3: [unavailable(1, 4)],
    })],
    ['product 3 cannot be read', { when: ([id]) => id === 3, fail: 'unavailable', status: 502 }, (w) => ({
      1: [detail(w, 1, 2), unavailable(3, 1)],
      2: [detail(w, 2, 1), detail(w, 5, 3)],
      3: [detail(w, 1, 4)],
    })],
  ])('still list every purchase, incomplete, when %s: only the unreadable lines carry an error', async (_name, rule, expected) => {
    const w = world();
    w.productos.on('getProduct', rule);
    const listing = await listMyPurchases(w.deps, w.ctx('ana'));
    expect(listing.complete).toBe(false);
    expect(linesById(listing.compras)).toEqual(expected(w));
  });

  it('fail as the users service failed, reading no product', async () => {
    const w = world();
    w.usuarios.on('listMyPurchases', { fail: 'unavailable', status: 500 });
    await expect(listMyPurchases(w.deps, w.ctx('ana'))).rejects.toMatchObject({ service: 'usuarios', kind: 'unavailable' });
    expect(w.count('getProduct')).toBe(0);
  });
});

describe('every purchase (admin)', () => {
  it.each([
    [1, 50, [3, 4, 2, 1], [1, 2, 3, 4, 5]],
    [2, 2, [2, 1], [1, 2, 3, 5]],
    [1, 2, [3, 4], [1, 4]],
    [3, 2, [], []],
  ])('page %i of size %i: purchases %j newest first, reading only products %j', async (page, pagesize, ids, reads) => {
    const w = world();
    const listing = await listAllPurchases(w.deps, { page, pagesize }, w.ctx('admin'));
    expect(listing).toMatchObject({ page, pagesize, total: 4, complete: true });
    expect(listing.compras.map((compra) => compra.id)).toEqual(ids);
    expect(w.args('getProduct').flat().sort()).toEqual(reads);
    const luis = listing.compras.find((compra) => compra.id === 4);
    if (luis) {
      expect(luis).toEqual({
        id: 4, fechaCompra: expect.any(String), fecha: luis.fechaCompra, usuarioId: 4, productos: [4], cantidades: [1], productos_detalle: [detail(w, 4, 1)],
      });
    }
  });
});
