// All mutable mock data lives in one MockState instance (no module globals), so parallel test
// files and the real servers each get their own isolated world.
import { createSeed } from './data/seed.js';
import type { MockData } from './data/types.js';
import type { FaultRule, StoredFault } from './faults/fault-rules.js';

export type ServiceName = 'usuarios' | 'productos' | 'recetas' | 'tareas' | 'facturas';

export const SERVICE_NAMES: readonly ServiceName[] = ['usuarios', 'productos', 'recetas', 'tareas', 'facturas'];

/** One request as an upstream received it, for tests that assert what the gateway sent. */
export interface RecordedCall {
  service: ServiceName;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Raw query string without the leading `?` (empty when none). */
  query: string;
  /** Header names lowercased. */
  headers: Record<string, string>;
  /**
   * Parsed JSON when the content type is JSON; for multipart, `{fields, files: [{field, filename,
   * mimeType, size, sha256}]}`; else the raw text; null when empty.
   */
  body: unknown;
}

export class MockState {
  data: MockData;
  calls: RecordedCall[] = [];
  /** Injected faults of every service (mocks/faults), applied before the handlers; reset() clears them. */
  faults: StoredFault[] = [];
  /** Bumped by reset(): work scheduled earlier (simulated Celery runs) must not touch new data. */
  generation = 0;
  /** The services' clock: seed dates, timestamps and the 24 h idempotency window use it. */
  readonly now: () => Date;

  constructor(now: () => Date = () => new Date()) {
    this.now = now;
    this.data = createSeed(now());
  }

  reset(): void {
    this.data = createSeed(this.now());
    this.calls = [];
    this.faults = [];
    this.generation += 1;
  }

  /** Replaces one service's fault rules (already validated: see parseFaultRules). */
  setFaults(service: ServiceName, rules: readonly FaultRule[]): void {
    const others = this.faults.filter((fault) => fault.service !== service);
    this.faults = [...others, ...rules.map((rule) => ({ service, rule: { ...rule }, applied: 0 }))];
  }

  /** One service's rules, in order, each with how many calls it has been applied to. */
  faultsOf(service: ServiceName): Array<FaultRule & { applied: number }> {
    return this.faults.filter((fault) => fault.service === service).map(({ rule, applied }) => ({ ...rule, applied }));
  }
}
