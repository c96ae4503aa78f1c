// All mutable mock data lives in one MockState instance (no module globals), so parallel test
// files and the real servers each get their own isolated world.
import { createSeed } from './data/seed.js';
import type { MockData } from './data/types.js';

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
  /** Parsed JSON when the content type is JSON, else the raw text, or null when empty. */
  body: unknown;
}

export class MockState {
  data: MockData;
  calls: RecordedCall[] = [];
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
    this.generation += 1;
  }
}
