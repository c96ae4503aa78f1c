import type { ProductsClient, Product } from '../../upstreams/productos/productos-client.js';
import { UpstreamError } from '../../errors/upstream-error.js';
import type { StockLocks } from '../ports/stock-locks.js';
import type { PublicContext } from '../request-context.js';
import type { DomainLogger } from '../shared/logger.js';
import type { PurchaseLine } from './purchase-rules.js';

export const stockLockKeys = (lines: readonly PurchaseLine[]) => lines.map((line) => String(line.producto_id));

/**
 * Writes `stock - cantidad` for every line in parallel (the caller holds the stock locks and
 * read `products` under them). If any write fails, the definite ones are put back before the
 * error is rethrown; a write whose outcome is unknown is logged for reconciliation, not undone.
 */
export async function decrementStock(
  products: ProductsClient,
  lines: readonly PurchaseLine[],
  current: ReadonlyMap<number, Product>,
  ctx: PublicContext,
  logger: DomainLogger,
): Promise<void> {
  const writes = await Promise.allSettled(
    lines.map((line) => products.setStock(line.producto_id, stockOf(current, line) - line.cantidad, ctx)),
  );
  const failure = writes.find((write) => write.status === 'rejected');
  if (!failure) return;

  await Promise.all(
    lines.map(async (line, index) => {
      const write = writes[index];
      if (write?.status === 'fulfilled') {
        await putStock(products, line.producto_id, stockOf(current, line), compensationContext(ctx), logger, line);
      } else if (write?.reason instanceof UpstreamError && write.reason.mayHaveApplied) {
        logger.error(
          { requestId: ctx.requestId, producto_id: line.producto_id, cantidad: line.cantidad },
          'stock decrement outcome unknown; not undone, reconcile manually',
        );
      }
    }),
  );
  throw failure.reason;
}

/** Gives back what a purchase took, reading the current stock under the lock (others may have bought since). */
export async function restoreStock(
  products: ProductsClient,
  locks: StockLocks,
  lines: readonly PurchaseLine[],
  ctx: PublicContext,
  logger: DomainLogger,
): Promise<void> {
  const compensation = compensationContext(ctx);
  try {
    await locks.withLocks(stockLockKeys(lines), compensation.deadline, () =>
      Promise.all(
        lines.map(async (line) => {
          try {
            const product = await products.getProduct(line.producto_id, compensation);
            if (!product) throw new Error('product disappeared');
            await putStock(products, line.producto_id, product.stock + line.cantidad, compensation, logger, line);
          } catch (error) {
            logRestoreFailure(logger, ctx, line, error);
          }
        }),
      ),
    );
  } catch (error) {
    // No lock (store down, or busy for the whole restore budget): writing without it could undo
    // another purchase's decrement, so the units stay out (the safe side) and an operator is told.
    for (const line of lines) logRestoreFailure(logger, ctx, line, error);
  }
}

async function putStock(
  products: ProductsClient,
  id: number,
  stock: number,
  ctx: PublicContext,
  logger: DomainLogger,
  line: PurchaseLine,
) {
  try {
    await products.setStock(id, stock, ctx);
  } catch (error) {
    logRestoreFailure(logger, ctx, line, error);
  }
}

function logRestoreFailure(logger: DomainLogger, ctx: PublicContext, line: PurchaseLine, error: unknown) {
  logger.error(
    {
      requestId: ctx.requestId,
      producto_id: line.producto_id,
      cantidad: line.cantidad,
      err: error instanceof Error ? error.message : String(error),
    },
    'stock restore failed; add the quantity back manually',
  );
}

function stockOf(current: ReadonlyMap<number, Product>, line: PurchaseLine): number {
  const product = current.get(line.producto_id);
  if (!product) throw new Error(`product ${line.producto_id} was not read before its stock write`);
  return product.stock;
}

/**
 * Compensation must finish even when the client hung up or the request budget is nearly spent:
 * it gets its own short budget and no client signal.
 */
function compensationContext(ctx: PublicContext): PublicContext {
  const { signal: _signal, ...rest } = ctx;
  return { ...rest, deadline: Math.max(ctx.deadline, Date.now() + 5_000) };
}
