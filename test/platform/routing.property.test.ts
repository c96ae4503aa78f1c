// Property-based tests of routing itself: any method on any path (known prefixes with hostile
// segments, traversal, encoded NULs, unicode, very long), with or without a token and with fuzzed
// headers, never gives a 5xx; a request that matches no route never reaches an upstream.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API } from '../helpers/harness.js';
import {
  anyBody,
  anyText,
  describeRequest,
  encode,
  expectInvariants,
  freshUpstreams,
  fuzzHarness,
  fuzzedHeaders,
  queryString,
  send,
  type FuzzRequest,
} from '../helpers/fuzz-support.js';

const { h, signed } = fuzzHarness();

const KNOWN = [
  '',
  'health',
  'echo',
  'ready',
  'compras',
  'compras/me',
  'compras/all',
  'recetas/estado',
  'recetas/validar',
  'integration-tasks',
  'facturas',
];
const hostileSegment = fc.oneof(
  anyText.map(encode),
  fc.constantFrom('..', '.', '%2e%2e', '%00', '%', '%zz', '%C0%AE', '%ef%bc%8f', '//', '\\', ';', 'a;b=c', '~', '*', 'x'.repeat(4000)),
);
const path = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.constant(`${API}/`), weight: 4 },
      { arbitrary: fc.constantFrom('/', '/api/', '/api/docs/', '/metrics/', `${API}//`, `${API.toUpperCase()}/`), weight: 1 },
    ),
    fc.constantFrom(...KNOWN),
    fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, { arbitrary: fc.array(hostileSegment, { minLength: 1, maxLength: 3 }), weight: 3 }),
    fc.option(queryString, { nil: undefined }),
  )
  .map(([prefix, known, extra, query]) => `${prefix}${[known, ...extra].filter(Boolean).join('/')}${query !== undefined ? `?${query}` : ''}`);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');

describe('routing under fuzzing', () => {
  it('never answers 5xx to any method on any path, and no unmatched request reaches an upstream', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        path,
        fc.constantFrom<'none' | 'ana' | 'admin'>('none', 'ana', 'admin'),
        fuzzedHeaders,
        fc.option(anyBody(fc.jsonValue()), { nil: undefined }),
        async (verb, target, who, headers, body) => {
          freshUpstreams(h);
          const token = who === 'none' ? undefined : signed[who];
          const request: FuzzRequest = { method: verb, path: target, headers, ...(token ? { token } : {}), ...(body ? { body } : {}) };
          const response = await send(h, request);
          // Writes are only judged valid on the routes' own properties; here any write must at least succeed.
          await expectInvariants(h, response, { valid: true, label: 'routing' }, describeRequest(request));
          if (response.status === 404 && verb !== 'HEAD') {
            const code = ((await response.clone().json()) as { code: string }).code;
            if (code === 'NOT_FOUND') expect(h.calls(), describeRequest(request)).toEqual([]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
