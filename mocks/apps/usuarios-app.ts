// Users, auth and purchases service (Spring Boot + Spring Security). Every route but /echo, login
// and register runs behind the JWT filter, which answers 403 (not 401) for a missing, invalid or
// unknown-user token. Accounts (login, register, profile update): usuarios-account.ts.
import type { Context } from 'hono';
import type { Hono } from 'hono';
import { verifyBearer } from '../auth.js';
import type { Compra, Usuario } from '../data/types.js';
import { javaLocalDateTime } from '../data/time.js';
import type { MockState } from '../state.js';
import { springError, springErrors } from './framework-errors.js';
import { createMockApp } from './mock-app.js';
import type { MockAppOptions } from './mock-app.js';
import { isPlainObject, readJsonBody } from './request-body.js';
import { registerAccountRoutes } from './usuarios-account.js';

type CallerHandler = (c: Context, caller: Usuario) => Response | Promise<Response>;

/** `/api/user/*` never exposes the internal id (nor, of course, the password). */
function publicUser({ dni, email, nombre, apellido, role, distrito }: Usuario) {
  return { dni, email, nombre, apellido, role, distrito };
}

function isIntList(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => Number.isInteger(item));
}

export function createUsuariosApp(state: MockState, options: MockAppOptions): Hono {
  const accessDenied = (c: Context) => springError(c, state, 403, 'Acceso denegado', 'Access Denied');
  // The caller is the stored user whose DNI is the token's `sub`; the role comes from that
  // stored user (Spring loads UserDetails from the database), not from the token.
  const findCaller = async (c: Context) => {
    const claims = await verifyBearer(c.req.header('authorization'), options.jwtSecret);
    return claims ? state.data.usuarios.users.find((user) => user.dni === claims.dni) : undefined;
  };
  const authenticated = (handler: CallerHandler) => async (c: Context) => {
    const caller = await findCaller(c);
    return caller ? handler(c, caller) : accessDenied(c);
  };
  const adminOnly = (handler: CallerHandler) =>
    authenticated((c, caller) => (caller.role === 'ADMIN' ? handler(c, caller) : accessDenied(c)));

  // The security filter chain runs before Spring's own 404, so unknown paths need a token too.
  const errors = springErrors(state);
  const app = createMockApp(state, 'usuarios', {
    ...errors,
    notFound: async (c) => ((await findCaller(c)) ? errors.notFound(c) : accessDenied(c)),
  });

  // The health probe is the one route outside the security filter chain.
  app.get('/echo', (c) =>
    c.json({ message: 'Echo from usuarios-compras service', timestamp: javaLocalDateTime(state.now()), status: 'UP' }),
  );

  app.get('/api/user/me', authenticated((c, caller) => c.json(publicUser(caller))));
  registerAccountRoutes(app, state, { findCaller, accessDenied, publicUser, jwtSecret: options.jwtSecret });
  app.get('/api/user/all', adminOnly((c) => c.json(state.data.usuarios.users.map(publicUser))));

  app.get('/api/compras/me', authenticated((c, caller) =>
    c.json(state.data.usuarios.compras.filter((compra) => compra.usuarioId === caller.id)),
  ));
  app.get('/api/compras/all', adminOnly((c) => c.json(state.data.usuarios.compras)));

  app.post('/api/compras', authenticated(async (c, caller) => {
    if (!/\bjson\b/i.test(c.req.header('content-type') ?? '')) {
      // HttpMediaTypeNotSupportedException falls into the catch-all handler too.
      return springError(c, state, 500, 'Error interno del servidor', 'Ha ocurrido un error inesperado');
    }
    const body = await readJsonBody(c);
    // Like the real service: `Idempotency-Key` is ignored (every call registers a purchase),
    // unreadable JSON and bad lists reach the generic handler as a 500, and only the three
    // bound fields are read (the server sets usuarioId from the token).
    const store = state.data.usuarios;
    const { productos, cantidades } = body.kind === 'json' && isPlainObject(body.value) ? body.value : {};
    if (!isIntList(productos) || !isIntList(cantidades) || productos.length !== cantidades.length) {
      return springError(c, state, 500, 'Error interno del servidor', 'Ha ocurrido un error inesperado');
    }

    const id = store.nextCompraId++;
    const compra: Compra = {
      id,
      fechaCompra: javaLocalDateTime(state.now(), (id * 137) % 1000),
      usuarioId: caller.id,
      productos: [...productos],
      cantidades: [...cantidades],
    };
    store.compras.push(compra);
    return c.json(compra, 200);
  }));

  return app;
}
