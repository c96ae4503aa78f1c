import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env.js';

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'botica-gateway',
    version: '0.1.0',
    license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    description:
      'Backend-for-frontend gateway of the botica pharmacy. Every error has the body ' +
      '`{error, code, details?, requestId}`; `requestId` equals the `X-Request-Id` header. ' +
      'Outside this document: `GET /metrics` (Prometheus text, summed over all workers), which moves ' +
      'to `METRICS_PORT` when that is set (this port then answers it 404 `NOT_FOUND`).',
  },
  servers: [{ url: '/' }],
};

/** The OpenAPI 3.1 document of an app (with the bearer scheme registered once). */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>) {
  return app.getOpenAPI31Document(OPENAPI_INFO);
}

export function registerSecurityScheme(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'HS256 (JWT_SECRET) or RS256/ES256 (JWT_JWKS_URL); claims sub (DNI) and role (CLIENTE|ADMIN)',
  });
}
