// registerPurchase over in-memory fakes of the products, users and prescriptions services: what it
// answers, what it writes and gives back, and which upstream calls it makes and which it does not.
// How each answer reaches the client is in register-purchase.http / purchase-failures.http.
import { describe, expect, it, vi } from 'vitest';
import { RegistrationOutcomeUnknown } from '../../src/domain/purchases/outcome-unknown.js';
import { DNI, PurchaseWorld, refusalOf, type Lines, type Rule, type Who } from '../helpers/purchase-fakes.js';

const rx = (nombre: string, producto_id: number, recetado: number, dispensado: number, solicitado: number) => ({
  productos_sin_receta: [nombre],
  cobertura: [{ producto_id, recetado, dispensado, solicitado }],
});
const errorsLogged = (world: PurchaseWorld, pattern: RegExp) =>
  world.logger.at('error').filter((entry) => pattern.test(entry.message)).map((entry) => entry.fields);

describe('a valid purchase', () => {
  it('takes exactly its stock and registers its lines once, reading no purchase history', async () => {
    const world = new PurchaseWorld();
    const { purchase, replayed } = await world.buy([[2, 3], [4, 2]]);
    expect(replayed).toBe(false);
    expect(purchase).toMatchObject({ usuarioId: 3, productos: [2, 4], cantidades: [3, 2], total: 25.2 });
    expect(world.args('setStock')).toEqual([[2, 77], [4, 0]]);
    expect(world.args('registerPurchase')).toEqual([[{ productos: [2, 4], cantidades: [3, 2] }]]);
    // Unkeyed, and no prescription of the caller lists these products: no history read.
    expect(world.calls.map((call) => call.method).sort()).toEqual(
      ['getProduct', 'getProduct', 'listPatientPrescriptions', 'registerPurchase', 'setStock', 'setStock'],
    );
  });

  it('sums repeated ids: one read, one stock write and one registered line per product', async () => {
    const world = new PurchaseWorld();
    const { purchase } = await world.buy([[1, 2], [5, 1], [1, 3]]);
    expect(purchase).toMatchObject({ productos: [1, 5], cantidades: [5, 1], total: 25.5 });
    expect(purchase.productos_detalle).toEqual([
      expect.objectContaining({ producto_id: 1, cantidad: 5, subtotal: 17.5 }),
      expect.objectContaining({ producto_id: 5, cantidad: 1, subtotal: 8 }),
    ]);
    expect(world.args('getProduct')).toEqual([[1], [5]]);
    expect(world.args('setStock')).toEqual([[1, 95], [5, 59]]);
    expect(world.args('registerPurchase')).toEqual([[{ productos: [1, 5], cantidades: [5, 1] }]]);
  });

  it("sells a covered prescription-only product after reading the caller's validated prescriptions and history once", async () => {
    const world = new PurchaseWorld();
    const { purchase } = await world.buy([[3, 2]]);
    expect(purchase).toMatchObject({
      productos_detalle: [{ producto_id: 3, cantidad: 2, nombre: 'Amoxicilina 500mg', requiere_receta: true, subtotal: 25 }],
      total: 25,
    });
    expect(world.args('listPatientPrescriptions')).toEqual([[DNI.ana, 'validada']]);
    expect([world.args('getProduct'), world.count('listMyPurchases'), world.stock(3)]).toEqual([[[3]], 1, 38]);
  });
});

describe('a purchase it cannot honour', () => {
  it.each<[string, Who, Lines, string, Record<string, unknown>, boolean]>([
    ['an unknown product', 'ana', [[1, 1], [999, 1]], 'PRODUCT_NOT_FOUND', { producto_id: 999, productos_no_encontrados: [999] }, false],
    ['more than the stock', 'ana', [[4, 5]], 'INSUFFICIENT_STOCK', { producto_id: 4, nombre: 'Loratadina 10mg', disponible: 2, solicitado: 5 }, false],
    ['repeated lines only together over the stock', 'ana', [[4, 1], [4, 2]], 'INSUFFICIENT_STOCK', { producto_id: 4, nombre: 'Loratadina 10mg', disponible: 2, solicitado: 3 }, false],
    ['an out-of-stock product', 'ana', [[1, 1], [7, 1]], 'INSUFFICIENT_STOCK', { producto_id: 7, nombre: 'Omeprazol 20mg', disponible: 0, solicitado: 1 }, false],
    ['product 3 by Pedro, who has no prescription', 'pedro', [[1, 1], [3, 1]], 'PRESCRIPTION_REQUIRED', rx('Amoxicilina 500mg', 3, 0, 0, 1), false],
    ['3 x3 while the prescription covers 2', 'ana', [[1, 1], [3, 3]], 'PRESCRIPTION_REQUIRED', rx('Amoxicilina 500mg', 3, 2, 0, 3), true],
    ['product 6, whose only prescription expired', 'ana', [[1, 1], [6, 1]], 'PRESCRIPTION_REQUIRED', rx('Clonazepam 2mg', 6, 0, 0, 1), false],
    ['8 x2 while the prescription covers 1', 'ana', [[1, 1], [8, 2]], 'PRESCRIPTION_REQUIRED', rx('Azitromicina 500mg', 8, 1, 0, 2), true],
  ])('refuses %s with its code and details, writing nothing', async (_name, who, lines, code, details, readsHistory) => {
    const world = new PurchaseWorld();
    const error = await refusalOf(world.buy(lines, { who }));
    expect([error.code, error.details]).toEqual([code, details]);
    expect(world.writes()).toEqual([]);
    // The history is read only when a prescription of the caller lists a product needing one.
    expect(world.count('listMyPurchases')).toBe(readsHistory ? 1 : 0);
  });
});

describe('a prescription is spent once', () => {
  it.each<[string, Array<[Lines, { recetado: number; dispensado: number; solicitado: number } | 'sold']>]>([
    ['its 2 units pay for one purchase, not a second nor a third (the attack)', [[[[3, 2]], 'sold'], [[[3, 2]], { recetado: 2, dispensado: 2, solicitado: 2 }], [[[3, 2]], { recetado: 2, dispensado: 2, solicitado: 2 }]]],
    ['the rest of a partly used one is covered, nothing beyond it', [[[[3, 1]], 'sold'], [[[3, 1], [1, 1]], 'sold'], [[[3, 1]], { recetado: 2, dispensado: 2, solicitado: 1 }]]],
  ])('%s', async (_name, steps) => {
    const world = new PurchaseWorld();
    // Ana bought one unit of 3 before her prescription was issued: that one does not count.
    expect(world.purchases.some((purchase) => purchase.usuarioId === 3 && purchase.productos.includes(3))).toBe(true);
    for (const [lines, expected] of steps) {
      const writesBefore = world.writes().length;
      if (expected === 'sold') await world.buy(lines);
      else {
        const error = await refusalOf(world.buy(lines));
        expect([error.code, error.details]).toEqual(['PRESCRIPTION_REQUIRED', rx('Amoxicilina 500mg', 3, expected.recetado, expected.dispensado, expected.solicitado)]);
        expect(world.writes()).toHaveLength(writesBefore);
      }
    }
    expect(world.count('registerPurchase')).toBe(steps.filter(([, expected]) => expected === 'sold').length);
    expect(world.stock(3)).toBe(38);
  });

  it.each([
    ['two concurrent purchases of its 2 units', 2, 2, 1],
    ['six concurrent one-unit purchases', 6, 1, 2],
  ])('lets %s spend it once', async (_name, buyers, cantidad, sold) => {
    const world = new PurchaseWorld();
    world.productos.latencyMs = 1;
    world.usuarios.latencyMs = 3;
    const answers = await Promise.all(Array.from({ length: buyers }, () => world.outcome(world.buy([[3, cantidad]]))));
    expect(answers.filter((answer) => 'id' in answer)).toHaveLength(sold);
    expect(answers.filter((answer) => answer.error === 'PRESCRIPTION_REQUIRED')).toHaveLength(buyers - sold);
    expect([world.count('registerPurchase'), world.stock(3)]).toEqual([sold, 38]);
  });

  it('counts a keyed purchase with the one history read it makes anyway', async () => {
    const world = new PurchaseWorld();
    await world.buy([[3, 2]], { key: 'rx-1' });
    expect(world.count('listMyPurchases')).toBe(1);
    expect((await refusalOf(world.buy([[3, 1]], { key: 'rx-2' }))).code).toBe('PRESCRIPTION_REQUIRED');
    expect(world.count('listMyPurchases')).toBe(2);
  });

  it.each([
    ['a prescription purchase', [[3, 1]], undefined],
    ['a keyed purchase', [[1, 1]], 'k-4'],
  ] as Array<[string, Lines, string | undefined]>)('fails %s before any write when the history cannot be read', async (_name, lines, key) => {
    const world = new PurchaseWorld();
    world.usuarios.on('listMyPurchases', { fail: 'unavailable', status: 500 });
    await expect(world.buy(lines, key ? { key } : {})).rejects.toMatchObject({ service: 'usuarios', kind: 'unavailable' });
    expect(world.writes()).toEqual([]);
  });
});

describe('when an upstream cannot be used', () => {
  it.each(['productos', 'usuarios'] as const)('sends nothing at all while the %s breaker is open', async (service) => {
    const world = new PurchaseWorld();
    world[service].refuse(7);
    await expect(world.buy([[3, 1], [1, 1]])).rejects.toMatchObject({ service, kind: 'circuit-open', retryAfterSeconds: 7 });
    expect(world.calls).toEqual([]);
  });

  it.each([
    ['fails', false],
    ['fails', true],
    ['has its breaker open', false],
    ['has its breaker open', true],
  ] as const)('when the prescriptions service %s, sells what needs no prescription (and refuses what does: %s)', async (mode, needsRx) => {
    const world = new PurchaseWorld();
    if (mode === 'fails') world.recetas.on('listPatientPrescriptions', { fail: 'unavailable', status: 500 });
    else world.recetas.refuse();
    if (needsRx) {
      const kind = mode === 'fails' ? 'unavailable' : 'circuit-open';
      await expect(world.buy([[1, 1], [3, 1]])).rejects.toMatchObject({ service: 'recetas', kind });
      expect(world.writes()).toEqual([]);
    } else {
      await world.buy([[1, 2], [5, 1]]);
      expect([world.stock(1), world.stock(5), world.count('registerPurchase')]).toEqual([98, 59, 1]);
    }
    expect([world.count('listPatientPrescriptions'), world.count('listMyPurchases')]).toEqual([mode === 'fails' ? 1 : 0, 0]);
  });

  it.each(['unavailable', 'bad-response', 'timeout'] as const)('writes nothing when a product read fails (%s)', async (fail) => {
    const world = new PurchaseWorld();
    world.productos.on('getProduct', { when: ([id]) => id === 5, fail });
    await expect(world.buy([[1, 2], [5, 1]])).rejects.toMatchObject({ service: 'productos', kind: fail });
    expect(world.writes()).toEqual([]);
  });
});

describe('a stock write failing on one product of two', () => {
  it.each([
    ['definitely', 'unavailable', []],
    ['with an unknown outcome', 'timeout', [expect.objectContaining({ producto_id: 5, cantidad: 2 })]],
  ] as const)('%s: gives the other back, registers nothing, logs only a write that may have landed', async (_name, fail, unknown) => {
    const world = new PurchaseWorld();
    world.productos.on('setStock', { when: ([id]) => id === 5, fail });
    await expect(world.buy([[2, 3], [5, 2]])).rejects.toMatchObject({ service: 'productos', kind: fail });
    expect(world.args('setStock')).toEqual([[2, 77], [5, 58], [2, 80]]);
    expect([world.stock(2), world.stock(5), world.count('registerPurchase')]).toEqual([80, 60, 0]);
    expect(errorsLogged(world, /outcome unknown/)).toEqual(unknown);
  });
});

describe('a registration that definitely failed', () => {
  it.each<[string, Rule]>([
    ['unavailable (a 500 or a dropped connection)', { fail: 'unavailable', status: 500 }],
    ['refused (403)', { fail: 'rejected', status: 403 }],
  ])('%s: is rethrown, not retried, and the stock goes back exactly', async (_name, rule) => {
    const world = new PurchaseWorld();
    world.usuarios.on('registerPurchase', rule);
    await expect(world.buy([[2, 3], [5, 2]])).rejects.toMatchObject({ service: 'usuarios', kind: rule.fail, status: rule.status });
    expect(world.count('registerPurchase')).toBe(1);
    expect(world.args('setStock')).toEqual([[2, 77], [5, 58], [2, 80], [5, 60]]);
    expect([world.stock(2), world.stock(5), world.purchases.length]).toEqual([80, 60, 4]);
    expect(world.logger.at('error')).toEqual([]);
  });

  it.each<[string, Lines, (world: PurchaseWorld) => void, number[], Record<string, number>]>([
    ['its stock write fails', [[2, 3], [5, 2]], (w) => w.productos.on('setStock', { when: ([id, stock]) => id === 2 && stock === 80, fail: 'unavailable' }), [77, 60], { producto_id: 2, cantidad: 3 }],
    ['it cannot read the product', [[2, 4]], (w) => w.productos.on('getProduct', { when: (_args, n) => n === 2, fail: 'bad-response' }), [76, 60], { producto_id: 2, cantidad: 4 }],
  ])('logs what to add back by hand when the give-back fails: %s', async (_name, lines, breakRestore, stocks, line) => {
    const world = new PurchaseWorld();
    world.usuarios.on('registerPurchase', { fail: 'unavailable' });
    breakRestore(world);
    const ctx = world.ctx();
    await expect(world.buy(lines, { ctx })).rejects.toMatchObject({ service: 'usuarios' });
    expect([world.stock(2), world.stock(5)]).toEqual(stocks);
    expect(errorsLogged(world, /restore/)).toEqual([expect.objectContaining({ ...line, requestId: ctx.requestId })]);
    expect(JSON.stringify(world.logger.entries)).not.toContain(ctx.authorization);
  });
});

describe('a registration whose outcome is unknown', () => {
  it.each([
    ['times out', 'timeout', 'UPSTREAM_TIMEOUT', { service: 'usuarios' }, {}],
    ['answers 2xx unreadably', 'bad-response', 'UPSTREAM_UNAVAILABLE', { service: 'usuarios', reason: 'invalid_response' }, { 'Retry-After': '1' }],
  ] as const)('%s: keeps the stock taken and logs the purchase for reconciliation', async (_name, fail, code, details, headers) => {
    const world = new PurchaseWorld();
    world.usuarios.on('registerPurchase', { fail });
    const ctx = world.ctx();
    const error = await refusalOf(world.buy([[2, 3], [5, 2]], { ctx }));
    expect(error).toBeInstanceOf(RegistrationOutcomeUnknown);
    expect([error.code, error.details, error.headers]).toEqual([code, details, headers]);
    expect(world.args('setStock')).toEqual([[2, 77], [5, 58]]);
    expect(world.logger.at('error')).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(/outcome unknown; stock kept decremented/),
        fields: { requestId: ctx.requestId, callerDni: DNI.ana, lines: [{ producto_id: 2, cantidad: 3 }, { producto_id: 5, cantidad: 2 }], reason: fail },
      },
    ]);
  });
});

describe('concurrent purchases in one process', () => {
  const race = (world: PurchaseWorld, buyers: number, lines: (index: number) => Lines) => {
    world.productos.latencyMs = 1;
    return Promise.all(Array.from({ length: buyers }, (_, i) => world.outcome(world.buy(lines(i), { who: (['ana', 'luis', 'pedro'] as const)[i % 3] }))));
  };
  const errors = (answers: Array<{ error?: string }>) => answers.map((answer) => answer.error ?? 'sold').sort();

  it('sell the last 2 units to exactly 2 of 30 buyers', async () => {
    const world = new PurchaseWorld();
    const answers = await race(world, 30, () => [[4, 1]]);
    expect(errors(answers)).toEqual([...Array(28).fill('INSUFFICIENT_STOCK'), 'sold', 'sold']);
    expect([world.stock(4), world.count('registerPurchase')]).toEqual([0, 2]);
  });

  it('keep the stock exact when buyers of overlapping products race (no lost update, no deadlock)', async () => {
    const world = new PurchaseWorld();
    const answers = await race(world, 10, (i) => (i % 2 ? [[2, 1], [1, 1]] : [[1, 1], [2, 1]]));
    expect(errors(answers)).toEqual(Array(10).fill('sold'));
    expect([world.stock(1), world.stock(2), world.count('registerPurchase')]).toEqual([90, 70, 10]);
  });

  it('give back exactly what failed registrations took: 20 buyers, the first 8 registrations fail', async () => {
    const world = new PurchaseWorld();
    world.usuarios.on('registerPurchase', { fail: 'unavailable', status: 500, times: 8 });
    const answers = await race(world, 20, () => [[2, 2]]);
    expect(errors(answers)).toEqual([...Array(12).fill('sold'), ...Array(8).fill('usuarios unavailable')]);
    expect([world.stock(2), world.purchases.length]).toEqual([80 - 12 * 2, 4 + 12]);
  });
});

describe('a buyer whose budget the stock-lock wait spent', () => {
  // Writes need 2 x 200 ms. The first buyer holds the lock through a 150 ms stock write; the
  // others queued with 500 ms and are left less than 400 once they get it.
  it.each([true, false])('answers 504 stage stock_lock, naming no service and reading nothing (batching: %s)', async (batching) => {
    const world = new PurchaseWorld({ upstreamTimeoutMs: 200, batching });
    world.productos.on('getProduct', { delayMs: 20 }).on('setStock', { delayMs: 150, times: 1 });
    const first = world.buy([[2, 1]], { budgetMs: 500 });
    await vi.waitFor(() => expect(world.count('getProduct')).toBe(1), { interval: 1 });
    const waiters = await Promise.all([1, 2, 3].map(() => refusalOf(world.buy([[2, 1]], { budgetMs: 500 }))));
    await first;
    for (const error of waiters) expect([error.code, error.details]).toEqual(['UPSTREAM_TIMEOUT', { stage: 'stock_lock' }]);
    expect(world.calls.filter((call) => call.service === 'productos').map((call) => call.method)).toEqual(['getProduct', 'setStock']);
    expect(world.count('registerPurchase')).toBe(1);
    // No call was cut short by a deadline: nothing for the products breaker or the timeout metrics.
    expect(world.calls.filter((call) => call.outcome === 'timeout')).toEqual([]);
  });
});
