// The products service's catalogue listings, each a page `{"total","page","pagesize","productos"}`
// in product-id order: `/api/productos/paged`, `/nombre?nombre=` and `/tipo?tipo=` (ILIKE
// '%text%'), `/receta?requiere_receta=` and `/stock-bajo?minimo=` (stock < minimo), all with
// `page` (>= 1, default 1) and `pagesize` (> 0, default 25). The service declares them before
// `/api/productos/{producto_id}`, so they must be registered before the mock's `/:id` route too.
import type { Context, Hono } from 'hono';
import type { Producto } from '../data/types.js';
import type { MockState } from '../state.js';
import { missingParam, parseBoolParam, parseBoundedIntParam, validationErrorResponse } from './fastapi-validation.js';
import type { PydanticError } from './fastapi-validation.js';

const DEFAULT_PAGE = 1;
const DEFAULT_PAGESIZE = 25;
const DEFAULT_MINIMO = 10;

type Parsed<T> = { value: T } | { error: PydanticError };

/** Starlette's `query_params[name]` is the last value of a repeated parameter. */
function queryValue(c: Context, name: string): string | undefined {
  const values = c.req.queries(name);
  return values?.[values.length - 1];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * SQLAlchemy's `ilike(f"%{text}%")` on MySQL, `lower(column) LIKE lower('%text%')`: `%` and `_`
 * in the caller's text are wildcards too, and `\` escapes the next character.
 */
export function ilikeContains(text: string): RegExp {
  const chars = Array.from(text);
  let pattern = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '\\' && i + 1 < chars.length) pattern += escapeRegExp(chars[++i] as string);
    else if (ch === '%') pattern += '.*';
    else if (ch === '_') pattern += '.';
    else pattern += escapeRegExp(ch);
  }
  return new RegExp(pattern, 'isu');
}

interface ListingFilter {
  errors: PydanticError[];
  keep: (producto: Producto) => boolean;
}

const all = () => true;

function requiredText(c: Context, name: 'nombre' | 'tipo'): ListingFilter {
  const raw = queryValue(c, name);
  if (raw === undefined) return { errors: [missingParam(['query', name])], keep: all };
  const pattern = ilikeContains(raw);
  return { errors: [], keep: (producto) => pattern.test(producto[name]) };
}

/** Each listing's own parameter, checked before `page` and `pagesize` (FastAPI reports in signature order). */
const LISTINGS: Record<string, (c: Context) => ListingFilter> = {
  paged: () => ({ errors: [], keep: all }),
  nombre: (c) => requiredText(c, 'nombre'),
  tipo: (c) => requiredText(c, 'tipo'),
  receta: (c) => {
    const raw = queryValue(c, 'requiere_receta');
    if (raw === undefined) return { errors: [missingParam(['query', 'requiere_receta'])], keep: all };
    const parsed = parseBoolParam(raw, ['query', 'requiere_receta']);
    if ('error' in parsed) return { errors: [parsed.error], keep: all };
    return { errors: [], keep: (producto) => producto.requiere_receta === parsed.value };
  },
  'stock-bajo': (c) => {
    const minimo = optionalInt(c, 'minimo', DEFAULT_MINIMO, { ge: 0 });
    if ('error' in minimo) return { errors: [minimo.error], keep: all };
    return { errors: [], keep: (producto) => producto.stock < minimo.value };
  },
};

function optionalInt(c: Context, name: string, fallback: number, bound: { ge: number } | { gt: number }): Parsed<number> {
  const raw = queryValue(c, name);
  return raw === undefined ? { value: fallback } : parseBoundedIntParam(raw, ['query', name], bound);
}

export function registerCatalogueRoutes(app: Hono, state: MockState): void {
  for (const [listing, filterOf] of Object.entries(LISTINGS)) {
    app.get(`/api/productos/${listing}`, (c) => {
      const filter = filterOf(c);
      const page = optionalInt(c, 'page', DEFAULT_PAGE, { ge: 1 });
      const pagesize = optionalInt(c, 'pagesize', DEFAULT_PAGESIZE, { gt: 0 });
      const errors = [...filter.errors, ...('error' in page ? [page.error] : []), ...('error' in pagesize ? [pagesize.error] : [])];
      if (errors.length > 0 || 'error' in page || 'error' in pagesize) return validationErrorResponse(c, errors);

      const matches = state.data.productos.items.filter(filter.keep).sort((a, b) => a.id - b.id);
      const start = (page.value - 1) * pagesize.value;
      return c.json({
        total: matches.length,
        page: page.value,
        pagesize: pagesize.value,
        productos: matches.slice(start, start + pagesize.value),
      });
    });
  }
}
