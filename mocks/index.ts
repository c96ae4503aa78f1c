// Entry point of the mock upstreams: one MockState shared by the five service apps. The same
// apps back the msw handlers (mocks/handlers) and the real HTTP servers (mocks/servers).
import type { Hono } from 'hono';
import { createFacturasApp } from './apps/facturas-app.js';
import type { MockAppOptions } from './apps/mock-app.js';
import { createProductosApp } from './apps/productos-app.js';
import { createRecetasApp } from './apps/recetas-app.js';
import { createTareasApp } from './apps/tareas-app.js';
import { createUsuariosApp } from './apps/usuarios-app.js';
import { parseFaultRules } from './faults/fault-rules.js';
import type { FaultRule } from './faults/fault-rules.js';
import { MockState } from './state.js';
import type { RecordedCall, ServiceName } from './state.js';

export { MockState, SERVICE_NAMES } from './state.js';
export type { RecordedCall, ServiceName } from './state.js';
export type { MockAppOptions } from './apps/mock-app.js';
export { FAULT_KINDS, parseFaultRules } from './faults/fault-rules.js';
export type { FaultKind, FaultRule } from './faults/fault-rules.js';
export { signMockToken, verifyBearer } from './auth.js';
export type { MockRole, MockTokenClaims, SignMockTokenInput } from './auth.js';
export { createSeed } from './data/seed.js';
export {
  SEED_CMP,
  SEED_DNI,
  SEED_PASSWORDS,
  SEED_PRODUCT_IDS,
  SEED_RECETA_IDS,
  SEED_TASK_IDS,
  SEED_USER_IDS,
} from './data/seed-ids.js';
export type { SeedRecetaName } from './data/seed-ids.js';
export {
  OCR_FAILURE_MARKER,
  prescriptionUploadForm,
  readPdfTextLines,
  samplePrescriptionLines,
  samplePrescriptionPdf,
} from './data/sample-pdf.js';
export type { SamplePrescription, SamplePrescriptionProduct, UploadFormOptions } from './data/sample-pdf.js';
export { MAX_PDF_BYTES, UPLOAD_FIELD } from './apps/recetas-upload.js';
export type * from './data/types.js';

export interface MockUpstreamsOptions extends MockAppOptions {
  /** The services' clock (seed dates, timestamps, idempotency windows); defaults to real time. */
  now?: () => Date;
}

export interface MockUpstreams {
  state: MockState;
  apps: Record<ServiceName, Hono>;
  /** Recorded calls (a copy), optionally of one service only, in arrival order. */
  calls(service?: ServiceName): RecordedCall[];
  /** Restores the seed and forgets every recorded call and fault rule. */
  reset(): void;
  /**
   * Replaces one service's fault rules (mocks/faults; same as `PUT /__mock/faults` on its server).
   * Throws on an invalid rule, listing every problem. An empty list clears them.
   */
  setFaults(service: ServiceName, rules: readonly FaultRule[]): void;
  /** One service's rules, each with how many calls it has been applied to. */
  faults(service: ServiceName): Array<FaultRule & { applied: number }>;
}

export function createMockUpstreams(options: MockUpstreamsOptions): MockUpstreams {
  const state = new MockState(options.now);
  const appOptions: MockAppOptions = {
    jwtSecret: options.jwtSecret,
    taskExecutionDelayMs: options.taskExecutionDelayMs,
    recetasApi: options.recetasApi,
  };
  const apps: Record<ServiceName, Hono> = {
    usuarios: createUsuariosApp(state, appOptions),
    productos: createProductosApp(state, appOptions),
    recetas: createRecetasApp(state, appOptions),
    tareas: createTareasApp(state, appOptions),
    facturas: createFacturasApp(state, appOptions),
  };
  return {
    state,
    apps,
    calls: (service) => state.calls.filter((call) => service === undefined || call.service === service),
    reset: () => state.reset(),
    setFaults: (service, rules) => {
      const parsed = parseFaultRules(rules);
      if ('issues' in parsed) throw new Error(`invalid fault rules: ${parsed.issues.join('; ')}`);
      state.setFaults(service, parsed.rules);
    },
    faults: (service) => state.faultsOf(service),
  };
}
