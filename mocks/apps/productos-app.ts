// Products and offers service (FastAPI, no auth): single-product read, partial update, the
// catalogue listings (productos-catalogue.ts), offers. There is deliberately no batch read and no
// conditional update, as in the real service.
import type { Hono } from 'hono';
import type { Producto } from '../data/types.js';
import { pythonDateTime } from '../data/time.js';
import type { MockState } from '../state.js';
import { fastApiErrors } from './framework-errors.js';
import { bodyParseErrors, checkField, parseIntParam, validationErrorResponse } from './fastapi-validation.js';
import type { FieldKind, PydanticError } from './fastapi-validation.js';
import { createMockApp } from './mock-app.js';
import { registerCatalogueRoutes } from './productos-catalogue.js';
import type { MockAppOptions } from './mock-app.js';
import { isPlainObject, readJsonBody } from './request-body.js';
import type { ParsedBody } from './request-body.js';

/** Fields a PUT may change; any subset, the rest keep their value. */
const UPDATABLE_FIELDS: ReadonlyArray<[keyof Producto, FieldKind]> = [
  ['nombre', 'str'],
  ['tipo', 'str'],
  ['precio', 'float'],
  ['stock', 'int'],
  ['requiere_receta', 'bool'],
];

const NOT_FOUND = { detail: 'Producto no encontrado' };

/** Checks the update body; null fields count as "not sent" (the service skips None values). */
function updateErrors(body: Record<string, unknown>): PydanticError[] {
  return UPDATABLE_FIELDS.flatMap(([field, kind]) => {
    const value = body[field];
    if (value === undefined || value === null) return [];
    const error = checkField(kind, value, ['body', field]);
    return error ? [error] : [];
  });
}

function checkUpdateBody(body: ParsedBody): { update?: Record<string, unknown>; errors: PydanticError[] } {
  if (body.kind !== 'json') return { errors: bodyParseErrors(body) };
  if (!isPlainObject(body.value)) {
    const msg = 'Input should be a valid dictionary or object to extract fields from';
    return { errors: [{ type: 'model_attributes_type', loc: ['body'], msg, input: body.value }] };
  }
  return { update: body.value, errors: updateErrors(body.value) };
}

export function createProductosApp(state: MockState, _options: MockAppOptions): Hono {
  const app = createMockApp(state, 'productos', fastApiErrors);
  const findProduct = (id: number) => state.data.productos.items.find((producto) => producto.id === id);

  app.get('/echo', (c) => c.json({ message: 'Echo from productos-ofertas service', status: 'ok' }));

  // Declared before `/{producto_id}` in the service, so `paged` & co. are never read as an id.
  registerCatalogueRoutes(app, state);

  app.get('/api/productos/:id', (c) => {
    const parsed = parseIntParam(c.req.param('id'), ['path', 'id']);
    if ('error' in parsed) return validationErrorResponse(c, [parsed.error]);
    const producto = findProduct(parsed.value);
    return producto ? c.json(producto) : c.json(NOT_FOUND, 404);
  });

  app.put('/api/productos/:id', async (c) => {
    const parsed = parseIntParam(c.req.param('id'), ['path', 'id']);
    const body = await readJsonBody(c);
    // FastAPI validates path and body together and reports every error at once.
    const checked = checkUpdateBody(body);
    const errors = [...('error' in parsed ? [parsed.error] : []), ...checked.errors];
    if ('error' in parsed || checked.update === undefined || errors.length > 0) return validationErrorResponse(c, errors);

    const producto = findProduct(parsed.value);
    if (!producto) return c.json(NOT_FOUND, 404);
    const update = checked.update;
    for (const [field] of UPDATABLE_FIELDS) {
      const value = update[field];
      if (value !== undefined && value !== null) Object.assign(producto, { [field]: value });
    }
    producto.fecha_actualizacion = pythonDateTime(state.now());
    return c.json(producto);
  });

  app.get('/api/ofertas/all', (c) => c.json(state.data.productos.ofertas));

  return app;
}
