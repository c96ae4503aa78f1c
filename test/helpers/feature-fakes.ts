// In-memory fakes of the upstream clients the feature use-cases call (invoices, tasks,
// prescriptions, accounts, catalogue), for the `.use-case.test.ts` files: no HTTP, no msw. Each
// fake records the calls it gets, so a test can say what was sent upstream and what was not.
import type { PublicContext, RequestContext } from '../../src/context/request-context.js';
import type { CallerLimits } from '../../src/domain/ports/caller-limits.js';
import { InvoiceKeyAlreadyUsed, type Invoice, type InvoicesClient } from '../../src/upstreams/facturas/facturas-client.js';
import type { CatalogueClient } from '../../src/upstreams/productos/catalogue-client.js';
import type { Product, ProductsClient } from '../../src/upstreams/productos/productos-client.js';
import type {
  Doctor,
  Prescription,
  PrescriptionsClient,
  RecetasApi,
  ServiceCheck,
} from '../../src/upstreams/recetas/recetas-client.js';
import type { PrescriptionUploadClient, UploadAnswer } from '../../src/upstreams/recetas/upload-client.js';
import type { Task, TasksClient } from '../../src/upstreams/tareas/tareas-client.js';
import type { AccountClient, Profile } from '../../src/upstreams/usuarios/account-client.js';
import type { User, UsersClient } from '../../src/upstreams/usuarios/usuarios-client.js';
import { callerContext as sharedCallerContext, DNI } from './fakes.js';

export { DNI, RecordingLogger, TODAY } from './fakes.js';

/** Ana's context (a CLIENTE) unless another caller is named. */
export const callerContext = (dni: string = DNI.ana, role: 'CLIENTE' | 'ADMIN' = 'CLIENTE', budgetMs?: number): RequestContext =>
  sharedCallerContext(dni, role, budgetMs);
export const adminContext = (budgetMs?: number) => callerContext(DNI.admin, 'ADMIN', budgetMs);
export const publicContext = (): PublicContext => ({ requestId: 'req-public', deadline: Date.now() + 30_000 });

/** One recorded call: the client method and its arguments without the trailing context. */
export interface RecordedCall {
  op: string;
  args: unknown[];
  ctx: unknown;
}

/** Wraps every method of `impl` so that each call is appended to `calls`. */
function recorded<T extends object>(impl: T, calls: RecordedCall[]): T {
  const out = { ...impl } as Record<string, unknown>;
  for (const [op, value] of Object.entries(impl)) {
    if (typeof value !== 'function' || op === 'refusal') continue;
    out[op] = (...all: unknown[]) => {
      calls.push({ op, args: all.slice(0, -1), ctx: all.at(-1) });
      return (value as (...args: unknown[]) => unknown)(...all);
    };
  }
  return out as T;
}

/** The caller a forwarded token names (the task service scopes every call by it). */
const ownerOf = (ctx: { authorization?: string }) => ctx.authorization?.replace('Bearer token-of-', '') ?? '';

/** The invoice queue: remembers every key it received (a replay is its 409), or fails as told. */
export function fakeInvoiceQueue() {
  const calls: RecordedCall[] = [];
  const keys = new Set<string>();
  const queue = {
    failure: undefined as Error | undefined,
    batches: [] as Array<{ key: string; invoices: Invoice[] }>,
  };
  const client = recorded<InvoicesClient>(
    {
      async submitBatch(invoices, key) {
        if (queue.failure) throw queue.failure;
        if (keys.has(key)) throw new InvoiceKeyAlreadyUsed();
        keys.add(key);
        queue.batches.push({ key, invoices });
        return { status: 'OK', detail: `${invoices.length} facturas recibidas y encoladas para procesamiento.` };
      },
    },
    calls,
  );
  return Object.assign(queue, { client, calls });
}

export const task = (id: number, overrides: Partial<Task> = {}): Task => ({
  id,
  task_name: `Tarea ${id}`,
  config: { base_url: 'https://api.example.com/sync', http_method: 'GET' },
  status: 'pendiente',
  execution_time: null,
  ...overrides,
});

/** The task queue: each task belongs to the caller whose token listed it; `refuse` makes writes a 400. */
export function fakeTaskQueue(owned: Record<string, Task[]>) {
  const calls: RecordedCall[] = [];
  const state = { refuse: undefined as Error | undefined, nextId: 100 };
  const mine = (ctx: { authorization?: string }) => (owned[ownerOf(ctx)] ??= []);
  const client = recorded<TasksClient>(
    {
      listTasks: async (ctx) => [...mine(ctx)].sort((a, b) => b.id - a.id),
      async createTask({ name, config }, ctx) {
        if (state.refuse) throw state.refuse;
        const created = task(state.nextId++, { task_name: name, config: { ...config } });
        mine(ctx).push(created);
        return created;
      },
      async updateTask(id, changes, ctx) {
        if (state.refuse) throw state.refuse;
        const found = mine(ctx).find((item) => item.id === id);
        if (!found) return null;
        if (changes.name !== undefined) found.task_name = changes.name;
        if (changes.config) found.config = { ...changes.config };
        return found;
      },
      async deleteTask(id, ctx) {
        const list = mine(ctx);
        const at = list.findIndex((item) => item.id === id);
        if (at < 0) return false;
        list.splice(at, 1);
        return true;
      },
      // Like the service: enqueues any id blindly.
      executeTask: async (id) => ({ detail: 'Tarea enviada para ejecución', task_id: String(id) }),
    },
    calls,
  );
  return { client, calls, state, owned, writes: () => calls.filter((call) => call.op !== 'listTasks') };
}


export const receta = (id: string, overrides: Partial<Prescription> = {}): Prescription => ({
  _id: id,
  pacienteDNI: DNI.ana,
  medicoCMP: 'CMP12345',
  fechaEmision: '2025-10-20T00:00:00.000Z',
  productos: [
    { id: 1, nombre: 'Paracetamol 500mg', cantidad: 1 },
    { id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2 },
  ],
  estadoValidacion: 'pendiente',
  ...overrides,
});

export const product = (id: number, nombre: string): Product => ({ id, nombre, tipo: 'Analgesico', precio: 5, stock: 10, requiere_receta: false });

/** How the `validar` generation answers one prescription: refused naming a check, or a document it rewrote. */
export type ServiceVerdict = { refuse: ServiceCheck } | { rewrite: Partial<Prescription> };

/** The prescriptions service of either generation, its products and its users, all recording. */
export function fakePrescriptionUpstreams(options: {
  api?: RecetasApi;
  recetas: Prescription[];
  doctors?: Doctor[];
  products?: Product[];
  users?: string[];
  verdicts?: Record<string, ServiceVerdict>;
}) {
  const calls: RecordedCall[] = [];
  const stored = new Map(options.recetas.map((item) => [item._id, { ...item }]));
  const doctors = options.doctors ?? [{ cmp: 'CMP12345', colegiaturaValida: true }];
  const productList = options.products ?? [product(1, 'Paracetamol 500mg'), product(3, 'Amoxicilina 500mg')];
  const prescriptions: PrescriptionsClient = {
    api: options.api ?? 'estado',
    refusal: () => null,
    getPrescription: async (id) => {
      const found = stored.get(id);
      return found ? { ...found } : null;
    },
    listPatientPrescriptions: async (dni, state) =>
      [...stored.values()].filter((item) => item.pacienteDNI === dni && item.estadoValidacion === state),
    async setState(id, state) {
      const found = stored.get(id);
      if (!found) return null;
      found.estadoValidacion = state;
      return { ...found };
    },
    async validateWithService(id) {
      const found = stored.get(id);
      if (!found) return null;
      const verdict = options.verdicts?.[id];
      if (verdict && 'refuse' in verdict) return { ok: false, check: verdict.refuse };
      Object.assign(found, verdict?.rewrite ?? {}, { estadoValidacion: 'validada' });
      return { ok: true, receta: { ...found } };
    },
    findDoctor: async (cmp) => doctors.find((doctor) => doctor.cmp === cmp) ?? null,
  };
  const products: ProductsClient = {
    refusal: () => null,
    getProduct: async (id) => productList.find((item) => item.id === id) ?? null,
    setStock: async () => {
      throw new Error('the prescription use-cases never write stock');
    },
  };
  const users: UsersClient = {
    refusal: () => null,
    listUsers: async () => (options.users ?? [DNI.ana, DNI.luis]).map((dni): User => ({ dni, role: 'CLIENTE' })),
    listMyPurchases: async () => [],
    listAllPurchases: async () => [],
    registerPurchase: async () => {
      throw new Error('the prescription use-cases never register purchases');
    },
  };
  return {
    prescriptions: recorded(prescriptions, calls),
    products: recorded(products, calls),
    users: recorded(users, calls),
    calls,
    ops: () => calls.map((call) => call.op),
    stateOf: (id: string) => stored.get(id)?.estadoValidacion,
  };
}

/** The upload route of the prescriptions service: stores what its OCR read from the PDF. */
export function fakeUploads(read: Partial<Prescription> = {}) {
  const calls: RecordedCall[] = [];
  const answer: UploadAnswer = { mensaje: 'Receta subida correctamente', receta: receta('6702f1c2a1b2c3d4e5f60799', read) };
  const client = recorded<PrescriptionUploadClient>({ upload: async () => answer }, calls);
  return { client, calls, answer };
}

/** The users service's account routes: a profile per caller, and the refusals the test sets. */
export function fakeAccounts(profiles: Record<string, Profile>) {
  const calls: RecordedCall[] = [];
  const state = { loginFailure: undefined as Error | undefined, registerFailure: undefined as Error | undefined };
  const client = recorded<AccountClient>(
    {
      async login() {
        if (state.loginFailure) throw state.loginFailure;
        return { token: 'service-token' };
      },
      async register() {
        if (state.registerFailure) throw state.registerFailure;
        return { token: 'service-token' };
      },
      getProfile: async (ctx) => ({ ...profiles[ownerOf(ctx)]! }),
      updateProfile: async (changes, ctx) => Object.assign(profiles[ownerOf(ctx)]!, changes),
    },
    calls,
  );
  return { client, calls, state, ops: () => calls.map((call) => call.op) };
}

/** The products service's catalogue routes: one product document, empty pages and offers. */
export function fakeCatalogue(products: Product[]) {
  const calls: RecordedCall[] = [];
  const client = recorded<CatalogueClient>(
    {
      listProducts: async () => ({ total: 0, page: 1, pagesize: 25, productos: [] }),
      getProductDocument: async (id) => products.find((item) => item.id === id) ?? null,
      listOffers: async () => [],
    },
    calls,
  );
  return { client, calls };
}

/** Caller limits that never refuse and remember what they counted. */
export function countingLimits() {
  const counted = { writes: [] as string[], logins: [] as string[] };
  const limits: CallerLimits = {
    countWrite: async (caller) => {
      counted.writes.push(caller);
      return { refund: async () => {} };
    },
    enterPurchase: async () => async () => {},
    countLogin: async (address) => {
      counted.logins.push(address);
    },
  };
  return { limits, counted };
}
