import type { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { COMMON_ERRORS, WRITE_ERRORS, bearerSecurity, errorResponses } from '../shared/error-responses.js';
import { IssuedTokenSchema, LoginBodySchema, ProfileChangesSchema, ProfileSchema, RegisterBodySchema } from './account.schemas.js';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

/** Errors of the routes open to anyone: no 403 (no token is read), 429 per client address. */
const PUBLIC_ERRORS = [400, 413, 415, 429, 500, 503, 504] as const;
const PER_ADDRESS = { 429: 'RATE_LIMITED (details.limit: per_address): over LOGINS_PER_MINUTE_PER_ADDRESS attempts from this client address' };

export const loginRoute = createRoute({
  operationId: 'login',
  method: 'post',
  path: '/auth/login',
  tags: ['account'],
  summary: 'Log in with a DNI or an email and a password (open to anyone; any Authorization header is ignored)',
  security: [],
  request: { body: body(LoginBodySchema) },
  responses: {
    200: json(IssuedTokenSchema, "The users service's token"),
    ...errorResponses([...PUBLIC_ERRORS, 401], {
      ...PER_ADDRESS,
      401: 'UNAUTHENTICATED: wrong DNI, email or password (one message for all three: it never tells whether an account exists)',
    }),
  },
});

export const registerRoute = createRoute({
  operationId: 'register',
  method: 'post',
  path: '/auth/register',
  tags: ['account'],
  summary: 'Create a customer account (role CLIENTE) and get its token (open to anyone)',
  security: [],
  request: { body: body(RegisterBodySchema) },
  responses: {
    200: json(IssuedTokenSchema, "The new account's token"),
    ...errorResponses([...PUBLIC_ERRORS, 409], {
      ...PER_ADDRESS,
      400: 'VALIDATION_ERROR: a field is invalid, here or as the users service judged it (details.issues names the fields)',
      409: 'CONFLICT: an account with that DNI or email already exists',
      503: 'UPSTREAM_UNAVAILABLE (usuarios): the service is down, or failed the registration itself ("Error en el registro")',
    }),
  },
});

export const getProfileRoute = createRoute({
  operationId: 'getProfile',
  method: 'get',
  path: '/user/me',
  tags: ['account'],
  summary: "The caller's profile, as the users service keeps it",
  security: bearerSecurity,
  responses: { 200: json(ProfileSchema, 'The profile'), ...errorResponses(COMMON_ERRORS) },
});

export const updateProfileRoute = createRoute({
  operationId: 'updateProfile',
  method: 'put',
  path: '/user/me',
  tags: ['account'],
  summary: "Change the caller's nombre, apellido, distrito, email or password (empty strings and unknown fields are dropped)",
  security: bearerSecurity,
  request: { body: body(ProfileChangesSchema) },
  responses: {
    200: json(ProfileSchema, 'The updated profile'),
    ...errorResponses([...COMMON_ERRORS, ...WRITE_ERRORS, 413, 415], {
      503: 'UPSTREAM_UNAVAILABLE (usuarios): the service is down, or refused the change with a 5xx (it answers an email another account uses that way)',
    }),
  },
});
