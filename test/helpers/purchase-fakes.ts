// In-memory fakes of the upstream interfaces the purchase use-cases take (ProductsClient,
// UsersClient, PrescriptionsClient) over one small world seeded like the mock services, and the
// deps of registerPurchase / listMyPurchases wired to them and to the real memory ports. Every
// upstream call is recorded (service, method, its arguments without the context, the context and
// how it ended). A rule makes calls of one method fail with an UpstreamError, answer late, or
// both. Like the real clients, no call outlives min(upstreamTimeoutMs, ctx.deadline): past that
// it fails with `timeout`.
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedMutex } from '../../src/coordination/memory/keyed-mutex.js';
import { MemoryCallerLimits, type LimitSettings } from '../../src/coordination/memory/memory-caller-limits.js';
import { MemoryIdempotencyStore } from '../../src/coordination/memory/memory-idempotency-store.js';
import { registerPurchase, type RegisterPurchaseDeps } from '../../src/domain/purchases/register-purchase.js';
import { StockBatches } from '../../src/domain/purchases/stock-batches.js';
import type { RequestContext } from '../../src/domain/request-context.js';
import { UpstreamError, type UpstreamFailureKind } from '../../src/errors/upstream-error.js';
import type { CallContext } from '../../src/upstreams/http/call-context.js';
import type { Product, ProductsClient } from '../../src/upstreams/productos/productos-client.js';
import type { Prescription, PrescriptionState, PrescriptionsClient } from '../../src/upstreams/recetas/recetas-client.js';
import type { Purchase, PurchaseRegistration, UsersClient } from '../../src/upstreams/usuarios/usuarios-client.js';
import { PRODUCT_ROWS } from '../../mocks/data/seed.js';
import { SEED_USER_IDS } from '../../mocks/index.js';
import { callerContext, DNI, RecordingLogger, TODAY } from './fakes.js';

export { DNI, RecordingLogger } from './fakes.js';

export type Who = 'admin' | 'ana' | 'luis' | 'pedro';
const daysAgo = (days: number) => new Date(TODAY.getTime() - days * 86_400_000);
/** As the users service (Spring) writes a LocalDateTime: no zone, microseconds. */
const localDateTime = (date: Date) => `${date.toISOString().slice(0, 23)}000`;

/** The mock services' catalogue: stock 2 for 4, 0 for 7; 3, 6 and 8 need a prescription. */
const seedProducts = (): Product[] =>
  PRODUCT_ROWS.map(([id, nombre, tipo, precio, stock, requiere_receta]) => ({ id, nombre, tipo, precio, stock, requiere_receta }));

/** Ana's validated prescriptions: 2 x product 3 (5 days old), 1 x 6 (60 days: expired), 1 x 8 (10 days). */
const seedPrescriptions = (): Prescription[] =>
  ([[3, 2, 5], [6, 1, 60], [8, 1, 10]] as const).map(([id, cantidad, age], index) => ({
    _id: `6717a1b2c3d4e5f60123456${index}`, pacienteDNI: DNI.ana, medicoCMP: 'CMP12345', fechaEmision: daysAgo(age).toISOString(),
    productos: [{ id, nombre: `Producto ${id}`, cantidad }], estadoValidacion: 'validada',
  }));

/** Ana's purchases 1-3 (20, 10 and 3 days ago; the first took one unit of 3) and Luis's 4 (7 days ago). */
const seedPurchases = (): Purchase[] =>
  (
    [[1, 20, 'ana', [1, 3], [2, 1]], [2, 10, 'ana', [2, 5], [1, 3]], [3, 3, 'ana', [1], [4]], [4, 7, 'luis', [4], [1]]] as const
  ).map(([id, age, who, productos, cantidades]) => ({
    id, fechaCompra: localDateTime(daysAgo(age)), usuarioId: SEED_USER_IDS[who], productos: [...productos], cantidades: [...cantidades],
  }));

export type FakeService = 'productos' | 'usuarios' | 'recetas';

export interface Call {
  service: FakeService;
  method: string;
  /** The arguments without the trailing context. */
  args: unknown[];
  ctx: CallContext;
  /** Unset while the call is under way. */
  outcome?: 'success' | UpstreamFailureKind;
}

/** How some calls of one method answer. */
export interface Rule<A extends unknown[] = unknown[]> {
  /** Which calls: their arguments and `n`, the 1-based count of this method's calls so far. Every call when absent. */
  when?: (args: A, n: number) => boolean;
  /** Applies to this many calls, then is spent (every matching call when absent). */
  times?: number;
  /** Fails the call (`rejected` with `status`); `timeout` waits out the call's cap first, like a hang. */
  fail?: UpstreamFailureKind;
  status?: number;
  /** Answers this much later; Infinity never answers (a timeout at the call's cap). */
  delayMs?: number;
  /** A write that fails lands anyway (its answer is what got lost). */
  applied?: boolean;
}

type ArgsOf<F> = F extends (...args: [...infer A, CallContext]) => unknown ? A : never;
type MethodOf<C> = Exclude<{ [K in keyof C]: C[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof C], undefined>;

/** One fake service: its rules, its breaker (`refuse`), and the world's call log. */
class FakeUpstream<C> {
  /** Every call answers this late unless a rule says otherwise. */
  latencyMs = 0;
  private readonly rules: Array<{ method: string; rule: Rule }> = [];
  private refused: UpstreamError | null = null;

  constructor(
    readonly service: FakeService,
    protected readonly world: PurchaseWorld,
  ) {}

  on<M extends MethodOf<C>>(method: M, rule: Rule<ArgsOf<C[M]>>): this {
    this.rules.push({ method: String(method), rule: rule as Rule });
    return this;
  }

  /** Opens the breaker: `refusal()` answers the 503 every call would get, and no call is sent. */
  refuse(retryAfterSeconds = 5): this {
    this.refused = new UpstreamError(this.service, 'circuit-open', { retryAfterSeconds });
    return this;
  }

  refusal = (): UpstreamError | null => this.refused;

  protected async call<T>(method: string, args: unknown[], ctx: CallContext, answer: () => T): Promise<T> {
    const n = this.world.calls.filter((c) => c.service === this.service && c.method === method).length + 1;
    const call: Call = { service: this.service, method, args, ctx };
    this.world.calls.push(call);
    const rule = this.rules.find((r) => r.method === method && (r.rule.times ?? 1) > 0 && (r.rule.when?.(args, n) ?? true))?.rule;
    if (rule?.times !== undefined) rule.times -= 1;
    try {
      const landed = rule?.applied ? answer() : undefined;
      const delayMs = rule?.delayMs ?? (rule?.fail === 'timeout' ? Infinity : this.latencyMs);
      const capMs = Math.min(this.world.upstreamTimeoutMs, ctx.deadline - Date.now());
      if (delayMs > capMs) {
        await sleep(Math.max(0, capMs));
        throw new UpstreamError(this.service, 'timeout');
      }
      if (delayMs > 0) await sleep(delayMs);
      if (rule?.fail) throw new UpstreamError(this.service, rule.fail, rule.status ? { status: rule.status } : {});
      const result = rule?.applied ? (landed as T) : answer();
      call.outcome = 'success';
      return result;
    } catch (error) {
      call.outcome = (error as UpstreamError).kind;
      throw error;
    }
  }
}

class FakeProducts extends FakeUpstream<ProductsClient> implements ProductsClient {
  getProduct = (id: number, ctx: CallContext) => this.call('getProduct', [id], ctx, () => this.world.product(id));
  setStock = (id: number, stock: number, ctx: CallContext) =>
    this.call('setStock', [id, stock], ctx, () => {
      if (!this.world.products.has(id)) throw new UpstreamError('productos', 'rejected', { status: 404 });
      this.world.restock(id, stock);
      return this.world.product(id) as Product;
    });
}

class FakeUsers extends FakeUpstream<UsersClient> implements UsersClient {
  registerPurchase = (input: PurchaseRegistration, ctx: CallContext) =>
    this.call('registerPurchase', [input], ctx, () => {
      const { productos, cantidades } = input;
      const purchase = { id: this.world.nextPurchaseId++, fechaCompra: localDateTime(TODAY), usuarioId: userOf(ctx), productos, cantidades };
      this.world.purchases.push(purchase);
      return structuredClone(purchase);
    });
  listMyPurchases = (ctx: CallContext) =>
    this.call('listMyPurchases', [], ctx, () => structuredClone(this.world.purchases.filter((p) => p.usuarioId === userOf(ctx))));
  listAllPurchases = (ctx: CallContext) => this.call('listAllPurchases', [], ctx, () => structuredClone(this.world.purchases));
  listUsers = (ctx: CallContext) => this.call('listUsers', [], ctx, () => []);
}

/** Only the patient's prescriptions are read by purchases; the rest answers as if absent. */
class FakePrescriptions extends FakeUpstream<PrescriptionsClient> implements PrescriptionsClient {
  readonly api = 'estado' as const;
  listPatientPrescriptions = (dni: string, state: PrescriptionState, ctx: CallContext) =>
    this.call('listPatientPrescriptions', [dni, state], ctx, () =>
      structuredClone(this.world.prescriptions.filter((p) => p.pacienteDNI === dni && p.estadoValidacion === state)),
    );
  getPrescription = (id: string, ctx: CallContext) => this.call('getPrescription', [id], ctx, () => null);
  setState = (id: string, state: PrescriptionState, ctx: CallContext) => this.call('setState', [id, state], ctx, () => null);
  validateWithService = (id: string, ctx: CallContext) => this.call('validateWithService', [id], ctx, () => null);
  findDoctor = (cmp: string, ctx: CallContext) => this.call('findDoctor', [cmp], ctx, () => null);
}

/** The user id the users service reads from the forwarded token (`Bearer token-of-<dni>`). */
const userOf = (ctx: CallContext) => {
  const dni = ctx.authorization?.replace('Bearer token-of-', '');
  const who = (Object.keys(SEED_USER_IDS) as Who[]).find((name) => DNI[name] === dni);
  if (!who) throw new UpstreamError('usuarios', 'rejected', { status: 401 });
  return SEED_USER_IDS[who];
};

export interface WorldOptions {
  /** Each call's cap (default 50 ms); a purchase needs twice this left for its writes. */
  upstreamTimeoutMs?: number;
  doubleSubmitWindowMs?: number;
  /** Group commit of stock (STOCK_BATCHING), on by default. */
  batching?: boolean;
  limits?: Partial<LimitSettings>;
}

export type Lines = Array<[producto_id: number, cantidad: number]>;

/** The upstream services' data, the fakes over it, and the deps of the purchase use-cases. */
export class PurchaseWorld {
  readonly products = new Map(seedProducts().map((product) => [product.id, product]));
  readonly purchases = seedPurchases();
  readonly prescriptions = seedPrescriptions();
  nextPurchaseId = 5;
  readonly calls: Call[] = [];
  readonly logger = new RecordingLogger();
  readonly upstreamTimeoutMs: number;
  /** The stores' clock (idempotency records, limits): `advance` expires what they hold. */
  private skewMs = 0;
  readonly clock = () => Date.now() + this.skewMs;
  readonly productos = new FakeProducts('productos', this);
  readonly usuarios = new FakeUsers('usuarios', this);
  readonly recetas = new FakePrescriptions('recetas', this);
  readonly deps: RegisterPurchaseDeps;

  constructor(options: WorldOptions = {}) {
    this.upstreamTimeoutMs = options.upstreamTimeoutMs ?? 50;
    const locks = new KeyedMutex();
    const limits = { writesPerMinute: 0, loginsPerMinute: 0, purchasesInFlight: 0, slotTtlMs: 60_000, ...options.limits };
    this.deps = {
      products: this.productos,
      users: this.usuarios,
      prescriptions: this.recetas,
      stockLocks: locks,
      stockBatches: new StockBatches(locks, this.productos, this.logger, options.batching ?? true),
      idempotency: new MemoryIdempotencyStore(50_000, this.clock),
      limits: new MemoryCallerLimits(limits, this.clock),
      prescriptionValidityDays: 30,
      upstreamTimeoutMs: this.upstreamTimeoutMs,
      doubleSubmitWindowMs: options.doubleSubmitWindowMs ?? 0,
      now: () => TODAY,
      logger: this.logger,
    };
  }

  product(id: number): Product | null {
    const product = this.products.get(id);
    return product ? { ...product } : null;
  }

  stock = (id: number) => this.products.get(id)?.stock;

  /** The stock changed upstream by someone else (a delivery). */
  restock(id: number, stock: number): void {
    const product = this.products.get(id);
    if (product) product.stock = stock;
  }

  advance(ms: number): void {
    this.skewMs += ms;
  }

  /** The arguments of every call of `method`, in order. */
  args = (method: string) => this.calls.filter((call) => call.method === method).map((call) => call.args);
  count = (method: string) => this.args(method).length;
  /** The calls that could change something upstream. */
  writes = () => this.calls.filter((call) => call.method === 'setStock' || call.method === 'registerPurchase');

  ctx(who: Who = 'ana', budgetMs = 5_000): RequestContext {
    return callerContext(DNI[who], who === 'admin' ? 'ADMIN' : 'CLIENTE', budgetMs);
  }

  buy(lines: Lines, options: { who?: Who; key?: string; budgetMs?: number; ctx?: RequestContext } = {}) {
    const ctx = options.ctx ?? this.ctx(options.who, options.budgetMs);
    const input = { lines: lines.map(([producto_id, cantidad]) => ({ producto_id, cantidad })) };
    return registerPurchase(this.deps, options.key ? { ...input, idempotencyKey: options.key } : input, ctx);
  }

  /** A purchase's answer as data: the registered id (and whether replayed), or the error's code (`<service> <kind>` upstream). */
  async outcome(attempt: Promise<{ purchase: { id: number }; replayed: boolean }>) {
    try {
      const { purchase, replayed } = await attempt;
      return { id: purchase.id, replayed };
    } catch (error) {
      const { code, kind, service } = error as { code?: string; kind?: string; service?: string };
      return { error: code ?? `${service} ${kind}` };
    }
  }
}

/** What an attempt that must fail threw: a GatewayError's or an UpstreamError's fields. */
export interface Refusal {
  code?: string;
  details?: Record<string, unknown>;
  headers: Record<string, string>;
  text?: { key: string };
  service?: string;
  kind?: string;
  status?: number;
}

export async function refusalOf(attempt: Promise<unknown>): Promise<Refusal> {
  try {
    await attempt;
  } catch (error) {
    return error as Refusal;
  }
  throw new Error('expected a refusal, got an answer');
}
