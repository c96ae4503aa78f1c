// msw handlers that hand every intercepted request to the matching mock service's Hono app, so
// unit/integration tests and the real mock servers run exactly the same code. This folder is
// excluded from the production build because msw is a devDependency.
import { http } from 'msw';
import type { HttpHandler } from 'msw';
import type { MockUpstreams, ServiceName } from '../index.js';
import { SERVICE_NAMES } from '../state.js';

/**
 * Rebases the request onto the app's root when the base URL has a path prefix
 * (`http://host/prefix/api/x` -> `http://host/api/x`); origin-only bases pass through untouched.
 */
async function toAppRequest(request: Request, base: URL): Promise<Request> {
  const prefix = base.pathname.replace(/\/+$/, '');
  if (prefix === '') return request;
  const url = new URL(request.url);
  url.pathname = url.pathname.slice(prefix.length) || '/';
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(url, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? await request.arrayBuffer() : undefined,
  });
}

export function createMswHandlers(
  mocks: Pick<MockUpstreams, 'apps'>,
  baseUrls: Record<ServiceName, string>,
): HttpHandler[] {
  return SERVICE_NAMES.map((service) => {
    const base = new URL(baseUrls[service]);
    const root = baseUrls[service].replace(/\/+$/, '');
    return http.all(`${root}/*`, async ({ request }) => mocks.apps[service].fetch(await toAppRequest(request, base)));
  });
}
