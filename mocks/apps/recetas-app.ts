// Prescriptions and doctors service (Express + MongoDB, no auth). Documents are answered as
// Mongo serialises them: `_id` strings and ISO dates with milliseconds and `Z`. PDF uploads:
// recetas-upload.ts.
import type { Hono } from 'hono';
import type { EstadoValidacion, Medico, Receta } from '../data/types.js';
import type { MockState } from '../state.js';
import { expressErrors } from './framework-errors.js';
import { createMockApp } from './mock-app.js';
import type { MockAppOptions } from './mock-app.js';
import { registerUploadRoute } from './recetas-upload.js';
import { validarReceta, withPdfUrl } from './recetas-validar.js';
import { isPlainObject, readJsonBody } from './request-body.js';

const ESTADOS: readonly EstadoValidacion[] = ['pendiente', 'validada', 'rechazada'];
const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const MAX_PAGE_SIZE = 100;

/** Express-style `parseInt` of a query value, clamped; absent or NaN gives the default. */
function intQuery(raw: string | undefined, fallback: number, min: number, max: number): number {
  const parsed = Number.parseInt(raw ?? '', 10);
  if (Number.isNaN(parsed)) return fallback;
  return Math.min(max, Math.max(min, parsed));
}

/** An empty query value is "no filter", as with `if (req.query.dni)` in the real service. */
function present(raw: string | undefined): string | undefined {
  return raw === undefined || raw === '' ? undefined : raw;
}

function isEstado(value: unknown): value is EstadoValidacion {
  return ESTADOS.some((estado) => estado === value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function paginate<T>(items: T[], page: number, size: number): T[] {
  return items.slice((page - 1) * size, page * size);
}

function filterRecetas(items: Receta[], dni?: string, cmp?: string, estado?: string): Receta[] {
  return items
    .filter((r) => (dni === undefined || r.pacienteDNI === dni) && (cmp === undefined || r.medicoCMP === cmp))
    .filter((r) => estado === undefined || r.estadoValidacion === estado)
    // The service sorts by `createdAt` descending (when it was entered, not issued).
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/**
 * `nombre`/`especialidad` are case-insensitive regex matches, `cmp` exact, as in Mongo; the
 * `validar` generation has no `cmp` filter (the parameter is ignored).
 */
function filterMedicos(items: Medico[], query: Record<string, string | undefined>, cmpFilter: boolean): Medico[] {
  const cmp = cmpFilter ? present(query['cmp']) : undefined;
  const nombre = present(query['nombre']);
  const especialidad = present(query['especialidad']);
  const valida = query['colegiaturaValida'];
  const contains = (value: string, needle?: string) =>
    needle === undefined || new RegExp(escapeRegExp(needle), 'i').test(value);
  return items.filter(
    (m) =>
      (cmp === undefined || m.cmp === cmp) &&
      contains(m.nombre, nombre) &&
      contains(m.especialidad, especialidad) &&
      (valida !== 'true' || m.colegiaturaValida) &&
      (valida !== 'false' || !m.colegiaturaValida),
  );
}

export function createRecetasApp(state: MockState, options: MockAppOptions): Hono {
  const app = createMockApp(state, 'recetas', expressErrors);
  const validar = options.recetasApi === 'validar';
  const findReceta = (id: string) => state.data.recetas.items.find((receta) => receta._id === id);

  app.get('/echo', (c) =>
    c.json({ status: 'ok', service: 'medical-prescriptions-service', time: state.now().toISOString() }),
  );

  // Registered before `/:id`, as in the Express router, so "filter" is not read as an id.
  app.get('/api/recetas/filter', (c) => {
    const page = intQuery(c.req.query('page'), 1, 1, Number.MAX_SAFE_INTEGER);
    const pagesize = intQuery(c.req.query('pagesize'), 10, 1, MAX_PAGE_SIZE);
    const matches = filterRecetas(
      state.data.recetas.items,
      present(c.req.query('dni')),
      present(c.req.query('cmp')),
      present(c.req.query('estado')),
    );
    return c.json({ page, pagesize, total: matches.length, items: paginate(matches, page, pagesize) });
  });

  app.get('/api/recetas/:id', (c) => {
    const id = c.req.param('id');
    if (!OBJECT_ID.test(id)) return c.json({ error: 'ID de receta inválido' }, 400);
    const receta = findReceta(id.toLowerCase());
    if (!receta) return c.json({ error: 'Receta no encontrada' }, 404);
    return c.json(validar ? withPdfUrl(receta, state.now()) : receta);
  });

  registerUploadRoute(app, state);

  // Each generation has its own state-change route; the other one is Express's HTML 404.
  if (validar) {
    app.put('/api/recetas/:id/validar', (c) => {
      const id = c.req.param('id');
      if (!OBJECT_ID.test(id)) return c.json({ error: 'ID de receta inválido' }, 400);
      const receta = findReceta(id.toLowerCase());
      return receta ? validarReceta(c, state, receta) : c.json({ error: 'Receta no encontrada' }, 404);
    });
  } else {
    app.put('/api/recetas/estado/:id', async (c) => {
      const id = c.req.param('id');
      if (!OBJECT_ID.test(id)) return c.json({ error: 'ID de receta inválido' }, 400);
      const body = await readJsonBody(c);
      const estado = body.kind === 'json' && isPlainObject(body.value) ? body.value['estadoValidacion'] : undefined;
      if (!isEstado(estado)) return c.json({ error: 'Estado de validación inválido' }, 400);
      const receta = findReceta(id.toLowerCase());
      if (!receta) return c.json({ error: 'Receta no encontrada' }, 404);
      receta.estadoValidacion = estado;
      receta.updatedAt = state.now().toISOString();
      return c.json({ mensaje: 'Estado actualizado', receta });
    });
  }

  app.get('/api/medicos/filter', (c) => {
    const page = intQuery(c.req.query('page'), 1, 1, Number.MAX_SAFE_INTEGER);
    const limit = intQuery(c.req.query('limit'), 10, 1, MAX_PAGE_SIZE);
    const matches = filterMedicos(state.data.recetas.medicos, c.req.query(), !validar);
    return c.json({ page, limit, total: matches.length, items: paginate(matches, page, limit) });
  });

  return app;
}
