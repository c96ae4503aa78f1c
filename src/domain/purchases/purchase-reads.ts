import type { Prescription } from '../../upstreams/recetas/recetas-client.js';
import type { Purchase } from '../../upstreams/usuarios/usuarios-client.js';
import type { RequestContext } from '../request-context.js';
import { mentionsAnyLine, usablePrescriptions } from './prescription-coverage.js';
import type { PrescriptionGate } from './prescription-gate.js';
import type { PurchaseLine } from './purchase-rules.js';
import type { RegisterPurchaseDeps } from './register-purchase.js';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/**
 * The reads a purchase starts before (and beside) its stock locks. Each is started at once and
 * awaited only where its answer matters, so a failure of one that does not matter fails nothing.
 */
export interface PurchaseReads {
  /** The caller's validated prescriptions (not sent while the `recetas` breaker is open). */
  prescriptions: Promise<Settled<Prescription[]>>;
  /** Settles once the gate was tried (when the prescriptions named a product of the purchase). */
  gateTried: Promise<Settled<void>>;
  /** The caller's purchase history, read at most once (until `rereadHistory`). */
  history(): Promise<Settled<Purchase[]>>;
  /** Reads the history again (after waiting for the gate: another purchase may have landed). */
  rereadHistory(): void;
}

/**
 * Starts the reads:
 * - the prescriptions, at once;
 * - the purchase history: at once for a keyed purchase (its ids are the record's baseline);
 *   otherwise only when the prescriptions show a product of the purchase, right after taking the
 *   caller's prescription gate, so the history holds every purchase that spent a prescription.
 */
export function startPurchaseReads(
  deps: RegisterPurchaseDeps,
  lines: readonly PurchaseLine[],
  ctx: RequestContext,
  keyed: boolean,
  gate: PrescriptionGate,
): PurchaseReads {
  const readHistory = () => settle(deps.users.listMyPurchases(ctx));
  let history: Promise<Settled<Purchase[]>> | undefined = keyed ? readHistory() : undefined;

  const closed = deps.prescriptions.refusal();
  const prescriptions = closed
    ? Promise.resolve<Settled<Prescription[]>>({ ok: false, error: closed })
    : settle(deps.prescriptions.listPatientPrescriptions(ctx.principal.dni, 'validada', ctx));

  const gateTried = settle(
    prescriptions.then(async (settled) => {
      if (!settled.ok) return;
      const usable = usablePrescriptions(settled.value, deps.now(), deps.prescriptionValidityDays);
      if (!mentionsAnyLine(usable, lines)) return;
      if ((await gate.tryTake()) && !history) history = readHistory();
    }),
  );

  return {
    prescriptions,
    gateTried,
    history: () => (history ??= readHistory()),
    rereadHistory: () => {
      history = readHistory();
    },
  };
}
