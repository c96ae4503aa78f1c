// Invoice intake queue (FastAPI + Celery, no auth): accepts a batch once per Idempotency-Key
// within 24 h and only enqueues it. Accepted batches are kept for tests to inspect.
import type { Hono } from 'hono';
import type { FacturaInput } from '../data/types.js';
import type { MockState } from '../state.js';
import { fastApiErrors } from './framework-errors.js';
import { bodyParseErrors, checkField, validationErrorResponse } from './fastapi-validation.js';
import type { FieldKind, PydanticError } from './fastapi-validation.js';
import { createMockApp } from './mock-app.js';
import type { MockAppOptions } from './mock-app.js';
import { isPlainObject, readJsonBody } from './request-body.js';
import type { ParsedBody } from './request-body.js';

const KEY_TTL_MS = 24 * 60 * 60 * 1000;

const FACTURA_FIELDS: ReadonlyArray<[keyof FacturaInput, FieldKind]> = [
  ['numero_factura', 'str'],
  ['rut_cliente', 'str'],
  ['monto', 'float'],
  ['fecha_emision', 'date'],
];

/** Pydantic's `List[Factura]` body check: basic types only, every error reported. */
function facturaErrors(body: ParsedBody): PydanticError[] {
  if (body.kind !== 'json') return bodyParseErrors(body);
  if (!Array.isArray(body.value)) {
    return [{ type: 'list_type', loc: ['body'], msg: 'Input should be a valid list', input: body.value }];
  }
  return body.value.flatMap((item: unknown, index): PydanticError[] => {
    if (!isPlainObject(item)) {
      const msg = 'Input should be a valid dictionary or object to extract fields from';
      return [{ type: 'model_attributes_type', loc: ['body', index], msg, input: item }];
    }
    return FACTURA_FIELDS.flatMap(([field, kind]) => checkField(kind, item[field], ['body', index, field]) ?? []);
  });
}

export function createFacturasApp(state: MockState, _options: MockAppOptions): Hono {
  const app = createMockApp(state, 'facturas', fastApiErrors);

  app.post('/facturas/', async (c) => {
    const key = c.req.header('idempotency-key');
    const body = await readJsonBody(c);
    // Header and body are validated together before the handler runs; a 422 consumes no key.
    const errors = facturaErrors(body);
    if (key === undefined) errors.unshift({ type: 'missing', loc: ['header', 'idempotency-key'], msg: 'Field required', input: null });
    if (errors.length > 0 || key === undefined || body.kind !== 'json') return validationErrorResponse(c, errors);

    const now = state.now();
    const { usedKeys, batches } = state.data.facturas;
    const firstUse = usedKeys.get(key);
    if (firstUse !== undefined && now.getTime() - firstUse < KEY_TTL_MS) {
      return c.json({ detail: 'Transacción duplicada: esta petición ya ha sido recibida.' }, 409);
    }
    usedKeys.set(key, now.getTime());
    const facturas = body.value as FacturaInput[];
    batches.push({ idempotencyKey: key, receivedAt: now.toISOString(), facturas });
    return c.json({ status: 'OK', detail: `${facturas.length} facturas recibidas y encoladas para procesamiento.` }, 202);
  });

  return app;
}
