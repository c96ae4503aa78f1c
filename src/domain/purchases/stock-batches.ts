import { GatewayError } from '../../errors/gateway-error.js';
import type { Product, ProductsClient } from '../../upstreams/productos/productos-client.js';
import { lockWaitSpentBudget, stockLockTimeout, type StockLocks } from '../ports/stock-locks.js';
import type { RequestContext } from '../request-context.js';
import type { DomainLogger } from '../shared/logger.js';
import { findStockShortage, type PurchaseLine, type StockShortage } from './purchase-rules.js';
import { decrementStock, stockLockKeys } from './stock-ledger.js';

/** One buyer's part in a batch: its own checks, and what it records once its stock is taken. */
export interface StockBuyer {
  lines: readonly PurchaseLine[];
  ctx: RequestContext;
  /**
   * The budget the buyer needs left once it holds the lock (its writes). A buyer that had it when
   * it queued and lost it waiting for the lock leaves with 504 `stock_lock` before the read.
   */
  budgetNeededMs?: number;
  /**
   * Everything the buyer checks against the products read under the lock, apart from the stock
   * arithmetic (prescriptions, the keyed baseline, the write budget). A rejection takes only this
   * buyer out of the batch.
   */
  admit(current: ReadonlyMap<number, Product>): Promise<void>;
  /** Runs under the lock once the stock write landed (the idempotency record's "stock taken"). */
  taken(current: ReadonlyMap<number, Product>): Promise<void>;
}

interface Waiting {
  buyer: StockBuyer;
  /** The buyer's budget when it queued: what it had before any lock wait. */
  leftWhenQueuedMs: number;
  resolve(current: ReadonlyMap<number, Product>): void;
  reject(error: unknown): void;
}

/**
 * Group commit of stock. Buyers of the same products that wait in this process while a lock
 * hold is under way are served together by the next one: one read, each buyer checked in arrival
 * order against what the earlier ones left (those that fit get stock, the rest 409 with the
 * `disponible` left to them), one write of the summed decrement per product; each registers on its
 * own afterwards, outside the lock. A hot product then sells a batch per lock hold (a read and a
 * write) instead of one purchase. With `REDIS_URL` each process batches its own buyers under the
 * shared lock. Only purchases of exactly the same products share a batch, so purchases of several
 * products keep the locks' one sorted order and cannot deadlock.
 * `enabled: false` serves each buyer alone (the behaviour before batching, for comparison).
 */
export class StockBatches {
  private readonly queues = new Map<string, Waiting[]>();

  constructor(
    private readonly locks: StockLocks,
    private readonly products: ProductsClient,
    private readonly logger: DomainLogger,
    private readonly enabled = true,
  ) {}

  /** Resolves with the products as read under the lock once this buyer's stock is taken. */
  take(buyer: StockBuyer): Promise<ReadonlyMap<number, Product>> {
    return new Promise((resolve, reject) => {
      const waiting: Waiting = { buyer, resolve, reject, leftWhenQueuedMs: buyer.ctx.deadline - Date.now() };
      if (!this.enabled) return void this.serve([waiting]);
      const key = stockLockKeys(buyer.lines).sort().join(',');
      const queue = this.queues.get(key);
      if (queue) return void queue.push(waiting);
      this.queues.set(key, [waiting]);
      void this.drain(key);
    });
  }

  /** Serves the queue of one product set, a batch per lock hold, until nobody waits. */
  private async drain(key: string): Promise<void> {
    for (let batch = this.queues.get(key); batch && batch.length > 0; batch = this.queues.get(key)) {
      // Whoever arrives from now on waits for the next hold.
      this.queues.set(key, []);
      await this.serve(batch);
    }
    this.queues.delete(key);
  }

  private async serve(batch: Waiting[]): Promise<void> {
    const lines = (batch[0] as Waiting).buyer.lines;
    const deadline = Math.max(...batch.map(({ buyer }) => buyer.ctx.deadline));
    try {
      await this.locks.withLocks(stockLockKeys(lines), deadline, () => this.underLock(batch));
    } catch (error) {
      // The lock was not taken (busy past every deadline, or the store is down): nobody was served.
      for (const waiting of batch) waiting.reject(error);
    }
  }

  private async underLock(batch: Waiting[]): Promise<void> {
    // A buyer whose budget the lock wait spent leaves now: the read must not be blamed for it.
    const live: Waiting[] = [];
    for (const waiting of batch) {
      const { ctx, budgetNeededMs = 0 } = waiting.buyer;
      if (lockWaitSpentBudget(ctx.deadline, waiting.leftWhenQueuedMs, budgetNeededMs)) waiting.reject(stockLockTimeout());
      else live.push(waiting);
    }
    if (live.length === 0) return;
    let current: Map<number, Product>;
    try {
      current = await readProducts(this.products, (live[0] as Waiting).buyer.lines, batchContext(live, 'latest'));
    } catch (error) {
      for (const waiting of live) waiting.reject(error);
      return;
    }

    // As for a purchase alone: stock (409) before the buyer's own checks (422...).
    const candidates = live.filter((waiting) => {
      const shortage = findStockShortage(waiting.buyer.lines, current);
      if (shortage) waiting.reject(insufficientStock(shortage));
      return !shortage;
    });
    const admissions = await Promise.allSettled(candidates.map(({ buyer }) => buyer.admit(current)));
    // Then in arrival order, each against what the earlier ones of the batch left.
    const admitted: Waiting[] = [];
    const remaining = new Map([...current].map(([id, product]) => [id, product.stock]));
    candidates.forEach((waiting, index) => {
      const admission = admissions[index] as PromiseSettledResult<void>;
      if (admission.status === 'rejected') return waiting.reject(admission.reason);
      const shortage = shortageOf(waiting.buyer.lines, current, remaining);
      if (shortage) return waiting.reject(shortage);
      for (const line of waiting.buyer.lines) remaining.set(line.producto_id, (remaining.get(line.producto_id) ?? 0) - line.cantidad);
      admitted.push(waiting);
    });
    if (admitted.length === 0) return;

    const summed = (live[0] as Waiting).buyer.lines.map(({ producto_id }) => ({
      producto_id,
      cantidad: admitted.reduce((sum, { buyer }) => sum + (buyer.lines.find((line) => line.producto_id === producto_id)?.cantidad ?? 0), 0),
    }));
    try {
      await decrementStock(this.products, summed, current, batchContext(admitted, 'earliest'), this.logger);
    } catch (error) {
      for (const waiting of admitted) waiting.reject(error);
      return;
    }
    await Promise.all(
      admitted.map(async (waiting) => {
        try {
          await waiting.buyer.taken(current);
          waiting.resolve(current);
        } catch (error) {
          waiting.reject(error);
        }
      }),
    );
  }
}

/**
 * The context of the batch's own calls: no client's signal (one buyer hanging up must not fail
 * the others). The read gets the latest deadline of the batch (a buyer short of budget must not
 * cut it short for the others; its own checks refuse it), the write the earliest of the admitted
 * (each of them checked it had the budget for its writes).
 */
function batchContext(batch: readonly Waiting[], deadline: 'latest' | 'earliest'): RequestContext {
  const { signal: _signal, ...first } = (batch[0] as Waiting).buyer.ctx;
  const deadlines = batch.map(({ buyer }) => buyer.ctx.deadline);
  return { ...first, deadline: deadline === 'latest' ? Math.max(...deadlines) : Math.min(...deadlines) };
}

/** The first line the stock `remaining` (what the earlier buyers of the batch left) cannot cover. */
function shortageOf(lines: readonly PurchaseLine[], current: ReadonlyMap<number, Product>, remaining: ReadonlyMap<number, number>) {
  const left = new Map([...current].map(([id, product]) => [id, { ...product, stock: remaining.get(id) ?? 0 }]));
  const shortage = findStockShortage(lines, left);
  return shortage ? insufficientStock(shortage) : null;
}

const insufficientStock = (shortage: StockShortage) =>
  new GatewayError('INSUFFICIENT_STOCK', { text: 'stock.insufficient', params: { nombre: shortage.nombre }, details: { ...shortage } });

async function readProducts(client: ProductsClient, lines: readonly PurchaseLine[], ctx: RequestContext) {
  const found = await Promise.all(lines.map((line) => client.getProduct(line.producto_id, ctx)));
  const missing = lines.filter((_, index) => found[index] === null).map((line) => line.producto_id);
  if (missing.length > 0) {
    throw new GatewayError('PRODUCT_NOT_FOUND', {
      text: 'product.not_found',
      params: { id: missing[0] as number },
      details: { producto_id: missing[0], productos_no_encontrados: missing },
    });
  }
  return new Map(found.map((product) => [(product as Product).id, product as Product]));
}
