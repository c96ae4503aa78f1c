// Shared generators and the invariants every fuzzed request must keep:
// - the status is never >= 500 (client input never causes a 5xx);
// - nothing is written upstream unless the input is valid;
// - a 4xx comes with no upstream write, except on the pure forwarding routes, where a valid request
//   may be refused by the service itself (unknown task, reused key): then the service's data is
//   unchanged, so nothing was written in effect.
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import { MAX_JSON_DEPTH, exceedsDepth } from '../../src/http/middleware/json-guard.js';
import { createHarness, tokens, type Harness } from './harness.js';

/** Runs per property: enough to explore, small enough for the whole folder to stay well under 30 s. */
export const RUNS = 150;

// ---------------------------------------------------------------------------------------------
// Strings.

const LONG = fc.integer({ min: 256, max: 5000 }).map((n) => 'a'.repeat(n));
const NASTY_TEXT = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '%00',
  '..',
  '../..',
  '%2e%2e',
  '%2F',
  '%',
  '%zz',
  '%E0%A4%A',
  '\u202e',
  '\ud83d\udc8a',
  'ñandú',
  'İ',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  'null',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  ' 7 ',
);

/** Any text: random unicode, nasty constants, very long runs. */
export const anyText = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: NASTY_TEXT, weight: 3 },
  { arbitrary: LONG, weight: 1 },
);

/** Numbers a schema of small positive integers must survive. */
export const anyNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -5, max: 1005 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1.5, 1e21, -1e21, Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53),
);

/** A value of any JSON type, with a bias to the awkward ones. */
export const anyScalar = fc.oneof(anyNumber, anyText, fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));

/** An array of up to 2000 items of `item`. */
export const hugeArrayOf = <T>(item: fc.Arbitrary<T>) =>
  fc.integer({ min: 101, max: 2000 }).chain((n) => fc.array(item, { minLength: n, maxLength: n }));

// ---------------------------------------------------------------------------------------------
// Path segments and query strings.

/** encodeURIComponent that survives lone surrogates (they become U+FFFD, as a browser would send). */
export const encode = (text: string) =>
  encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

/** What the router hands a route for one segment (undecodable sequences stay as sent). */
export function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A path segment, already in URL form (some raw specials, the rest percent-encoded). */
export function pathSegment(valid: fc.Arbitrary<string>) {
  return fc.oneof(
    { arbitrary: valid, weight: 6 },
    { arbitrary: anyText.map(encode), weight: 3 },
    { arbitrary: fc.constantFrom('%00', '..', '%2e%2e', '%2F..%2F', '%', '%zz', '%E0%A4%A', '%C0%AF', '.', '%20'), weight: 2 },
    { arbitrary: anyNumber.map((n) => encode(String(n))), weight: 1 },
    { arbitrary: valid.map((v) => `${v}%00`), weight: 1 },
    { arbitrary: valid.map((v) => `${v}/extra`), weight: 1 },
  );
}

const queryValue = fc.oneof(anyText, anyNumber.map(String));
export const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom('page', 'pagesize', 'token', 'dni'), anyText), queryValue), { maxLength: 5 })
  .map((pairs) => pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&'));

// ---------------------------------------------------------------------------------------------
// Headers. Values are what HTTP can carry (no CR, LF or NUL, Latin-1 only): anything else is
// refused by the client or by Node's parser before the gateway sees it.

const headerChar = fc.oneof(
  { arbitrary: fc.integer({ min: 0x20, max: 0x7e }), weight: 8 },
  { arbitrary: fc.constantFrom(0x09, 0x80, 0xa0, 0xe9, 0xff), weight: 1 },
);
const headerText = fc.array(headerChar, { maxLength: 300 }).map((codes) => String.fromCharCode(...codes));

export const validIdempotencyKey = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);
export const idempotencyKeyValue = fc.oneof(
  { arbitrary: validIdempotencyKey, weight: 4 },
  { arbitrary: fc.constantFrom('', ' ', 'a b', 'k'.repeat(255), 'k'.repeat(256), '\t', 'clé'), weight: 1 },
  { arbitrary: headerText, weight: 1 },
);
export const requestIdValue = fc.oneof(
  fc.stringMatching(/^[\w=-]{1,255}$/),
  fc.constantFrom('', 'a'.repeat(256), '<script>', '../../etc/passwd'),
  headerText,
);
export const traceparentValue = fc.oneof(
  fc
    .tuple(fc.stringMatching(/^[0-9a-f]{32}$/), fc.stringMatching(/^[0-9a-f]{16}$/), fc.constantFrom('00', '01', 'ff'))
    .map(([trace, span, flags]) => `00-${trace}-${span}-${flags}`),
  fc.constantFrom(
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01',
    '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
    '00-4bf92f3577b34da6a3ce929d0e0e4736',
  ),
  headerText,
);
export const contentTypeValue = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'application/json-patch+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      'json',
      '',
    ),
    weight: 3,
  },
  { arbitrary: headerText, weight: 1 },
);

/** Optional fuzzed values of the headers the gateway reads (absent when undefined). */
export const fuzzedHeaders: fc.Arbitrary<Record<string, string | undefined>> = fc.record(
  {
    'idempotency-key': idempotencyKeyValue,
    'x-request-id': requestIdValue,
    traceparent: traceparentValue,
    'content-type': contentTypeValue,
  },
  { requiredKeys: ['content-type'] },
);

// ---------------------------------------------------------------------------------------------
// Bodies: JSON values, near-JSON text, nesting around the depth limit and raw bytes.

export type Body = { kind: 'json'; value: unknown } | { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };

const nestedText = fc
  .tuple(fc.integer({ min: MAX_JSON_DEPTH - 2, max: MAX_JSON_DEPTH + 3 }), fc.constantFrom('[', '{"a":'), fc.boolean())
  .map(([depth, open, closed]) => {
    const close = open === '[' ? ']' : '}';
    return `${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}`;
  });

type Path = Array<string | number>;

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(key) : key];
      out.push(path);
      pathsOf(inner, path, out);
    }
  }
  return out;
}

/**
 * A valid value with one or two of its parts broken: a field replaced by a hostile value or
 * deleted, or an unexpected field added. Most fuzzed inputs then fail on exactly one check.
 */
export function nearValid(valid: fc.Arbitrary<unknown>, hostile: fc.Arbitrary<unknown> = anyScalar): fc.Arbitrary<unknown> {
  const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom('replace', 'replace', 'delete', 'add'), key: anyText, value: hostile });
  return fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([base, mutations]) => {
    const value = structuredClone(base);
    for (const { at, kind, key, value: replacement } of mutations) {
      const paths = pathsOf(value);
      const path = paths[at % Math.max(paths.length, 1)];
      if (!path) continue;
      type Node = Record<string | number, unknown>;
      const parent = path.slice(0, -1).reduce<Node>((node, part) => node[part] as Node, value as Node);
      const last = path[path.length - 1] as string | number;
      if (kind === 'replace') parent[last] = replacement;
      else if (kind === 'delete') {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else if (!Array.isArray(parent)) {
        // defineProperty: a key such as `__proto__` becomes an own field, as JSON.parse would make it.
        Object.defineProperty(parent, key, { value: replacement, enumerable: true, writable: true, configurable: true });
      }
    }
    return value;
  });
}

/** Any body, with `nearSchema` giving JSON close to what the route expects. */
export function anyBody(nearSchema: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  return fc.oneof(
    { arbitrary: nearSchema.map((value) => ({ kind: 'json' as const, value })), weight: 6 },
    { arbitrary: fc.jsonValue().map((value) => ({ kind: 'json' as const, value })), weight: 3 },
    {
      arbitrary: fc
        .oneof(fc.string({ maxLength: 60 }), nestedText, fc.constantFrom('', '{', '[1,]', '{"a":1}{', 'null', '"x"', '\ufeff{}', '{"productos":[1],}'))
        .map((text) => ({ kind: 'text' as const, text })),
      weight: 2,
    },
    { arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'bytes' as const, bytes })), weight: 1 },
  );
}

export function bodyInit(body: Body | undefined): RequestInit['body'] {
  if (!body) return undefined;
  if (body.kind === 'json') return JSON.stringify(body.value);
  if (body.kind === 'text') return body.text;
  return body.bytes;
}

/**
 * The body as the gateway's JSON guard and validator see it: the parsed value when the content
 * type is JSON and the text is JSON no deeper than the limit, otherwise `invalid`.
 */
export function parsedJson(body: Body | undefined, headers: Record<string, string | undefined>): { ok: true; value: unknown } | { ok: false } {
  const contentType = new Headers(clean(headers)).get('content-type');
  if (!body || !contentType || !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) return { ok: false };
  const text = body.kind === 'json' ? JSON.stringify(body.value) : body.kind === 'text' ? body.text : new TextDecoder().decode(body.bytes);
  if (text === undefined || exceedsDepth(text, MAX_JSON_DEPTH)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export const clean = (headers: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));

// ---------------------------------------------------------------------------------------------
// The invariants.

export interface Outcome {
  /** Whether the input passes every check of the gateway's own (the schemas, the JSON guard). */
  valid: boolean;
  /** A forwarding route: the service may refuse a valid request after receiving it. */
  forwards?: boolean;
  /** Groups the runs in the FUZZ_STATS summary. */
  label?: string;
  /** JSON of the mock data before the request, to prove a refused write changed nothing. */
  dataBefore?: string;
}

/** `FUZZ_STATS=1` prints how the runs of each property ended (to check the generators' aim). */
const stats = new Map<string, Map<string, number>>();
afterAll(() => {
  if (!process.env.FUZZ_STATS) return;
  for (const [label, counts] of stats) console.error(label, JSON.stringify(Object.fromEntries([...counts].sort())));
});

export async function expectInvariants(h: Harness, response: Response, outcome: Outcome, what: string) {
  const writes = h.writes();
  if (process.env.FUZZ_STATS) {
    const label = outcome.label ?? what.split(' ').slice(0, 2).join(' ').split('/').slice(0, 4).join('/');
    const counts = stats.get(label) ?? new Map<string, number>();
    const key = `${response.status} ${outcome.valid ? 'valid' : 'invalid'}${writes.length > 0 ? ' wrote' : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    stats.set(label, counts);
  }
  const describe = `${what} -> ${response.status} ${await response.clone().text().then((t) => t.slice(0, 300))}; writes: ${writes
    .map((call) => `${call.method} ${call.path}`)
    .join(', ')}`;
  expect(response.status, describe).toBeLessThan(500);
  if (response.status >= 400) expect(response.headers.get('content-type'), describe).toContain('application/json');
  if (writes.length > 0) expect(outcome.valid, `write for invalid input: ${describe}`).toBe(true);
  if (writes.length > 0 && response.status >= 300) {
    expect(outcome.forwards, `write but no 2xx: ${describe}`).toBe(true);
    expect(JSON.stringify(h.mocks.state.data), `refused write changed data: ${describe}`).toBe(outcome.dataBefore);
  }
}

export interface FuzzRequest {
  method: string;
  path: string;
  token?: string;
  headers?: Record<string, string | undefined>;
  body?: Body;
}

/** Sends one fuzzed request through the app (no body on GET/HEAD, which cannot carry one). */
export async function send(h: Harness, request: FuzzRequest): Promise<Response> {
  const headers = new Headers(clean(request.headers ?? {}));
  if (request.token) headers.set('authorization', `Bearer ${request.token}`);
  const carriesBody = request.method !== 'GET' && request.method !== 'HEAD';
  const body = carriesBody ? bodyInit(request.body) : undefined;
  return h.app.request(request.path, { method: request.method, headers, ...(body !== undefined ? { body } : {}) });
}

export const describeRequest = (request: FuzzRequest) =>
  `${request.method} ${request.path.slice(0, 200)} headers=${JSON.stringify(request.headers ?? {}).slice(0, 300)} body=${
    request.body ? JSON.stringify(request.body.kind === 'bytes' ? [...request.body.bytes] : request.body).slice(0, 300) : '-'
  }`;

/** Fresh seed and no recorded calls, without rebuilding the app (fast enough for every run). */
export function freshUpstreams(h: Harness) {
  h.mocks.reset();
  h.logs.lines.length = 0;
}

/**
 * One msw harness per property file, listening for the whole file, with a signed token for each
 * seeded caller (signed once: signing per run would dominate the runtime).
 */
export function fuzzHarness() {
  const h = createHarness();
  const signed = { ana: '', luis: '', admin: '' };
  beforeAll(async () => {
    h.listen();
    [signed.ana, signed.luis, signed.admin] = await Promise.all([tokens.ana(), tokens.luis(), tokens.admin()]);
  });
  afterAll(h.close);
  return { h, signed, caller: fc.constantFrom<keyof typeof signed>('ana', 'luis', 'admin') };
}
