// Every authenticated endpoint against every token attack: each one is a 401 UNAUTHENTICATED with
// `WWW-Authenticate: Bearer` that costs no upstream call. The requests are otherwise complete and
// valid (body, path, Idempotency-Key, a real multipart PDF), so a token that slipped through would
// reach an upstream. The endpoint table is checked against the OpenAPI document: a new secured
// route must join it. The routes open to anyone (login, register, the catalogue) ignore every one
// of these attacks instead: the same answer as without it, and no token ever reaches an upstream.
import { createHmac } from 'node:crypto';
import { SignJWT, decodeJwt, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_CMP, SEED_DNI, SEED_PASSWORDS, SEED_RECETA_IDS, SEED_TASK_IDS, prescriptionUploadForm, samplePrescriptionPdf } from '../../mocks/index.js';
import { API, TEST_SECRET, createHarness, tokens, type Harness, expectUnauthenticated } from '../helpers/harness.js';

const OTHER_SECRET = 'an-attacker-secret-that-is-at-least-32-bytes';
const JWKS_URL = 'http://keys.test/jwks.json';
const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const today = () => new Date().toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// Endpoints: each with a request that a valid token would carry through to an upstream.

interface Endpoint {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** As the OpenAPI document names it. */
  template: string;
  path: string;
  json?: unknown;
  /** A multipart body, built afresh for each request. */
  form?: () => FormData;
  headers?: Record<string, string>;
  /** The control token must be allowed to use it. */
  admin?: boolean;
}

const TASK = String(SEED_TASK_IDS.anaPending);
const RECETA = SEED_RECETA_IDS.anaPendingValid;
const TASK_CONFIG = { base_url: 'https://api.example.com/sync', http_method: 'POST', payload: {} };
/** The upload a valid token would stream through: Ana's prescription PDF, as the web frontend sends it. */
const uploadForm = () =>
  prescriptionUploadForm(
    samplePrescriptionPdf({
      dni: SEED_DNI.ana,
      cmp: SEED_CMP.rosaSalas,
      fecha: today(),
      productos: [{ id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2 }],
    }),
    { fields: { pacienteDNI: SEED_DNI.ana } },
  );

const ENDPOINTS: Endpoint[] = [
  { name: 'POST /compras', method: 'POST', template: '/compras', path: '/compras', json: { productos: [{ producto_id: 1, cantidad: 1 }] } },
  { name: 'GET /compras/me', method: 'GET', template: '/compras/me', path: '/compras/me' },
  { name: 'GET /user/me', method: 'GET', template: '/user/me', path: '/user/me' },
  { name: 'PUT /user/me', method: 'PUT', template: '/user/me', path: '/user/me', json: { distrito: 'Barranco' } },
  { name: 'GET /recetas/{id}', method: 'GET', template: '/recetas/{receta_id}', path: `/recetas/${SEED_RECETA_IDS.anaValidated}` },
  { name: 'POST /recetas/upload', method: 'POST', template: '/recetas/upload', path: '/recetas/upload', form: uploadForm },
  { name: 'GET /compras/all', method: 'GET', template: '/compras/all', path: '/compras/all?page=1&pagesize=10', admin: true },
  {
    name: 'PUT /recetas/estado/{id}',
    method: 'PUT',
    template: '/recetas/estado/{receta_id}',
    path: `/recetas/estado/${RECETA}`,
    json: { estadovalidacion: 'VALIDADA' },
  },
  { name: 'PUT /recetas/validar/{id}', method: 'PUT', template: '/recetas/validar/{receta_id}', path: `/recetas/validar/${RECETA}` },
  { name: 'GET /integration-tasks', method: 'GET', template: '/integration-tasks', path: '/integration-tasks' },
  {
    name: 'POST /integration-tasks',
    method: 'POST',
    template: '/integration-tasks',
    path: '/integration-tasks',
    json: { name: 'Sync', config: TASK_CONFIG },
  },
  { name: 'GET /integration-tasks/{id}', method: 'GET', template: '/integration-tasks/{id}', path: `/integration-tasks/${TASK}` },
  {
    name: 'PUT /integration-tasks/{id}',
    method: 'PUT',
    template: '/integration-tasks/{id}',
    path: `/integration-tasks/${TASK}`,
    json: { name: 'Renamed' },
  },
  { name: 'DELETE /integration-tasks/{id}', method: 'DELETE', template: '/integration-tasks/{id}', path: `/integration-tasks/${TASK}` },
  {
    name: 'POST /integration-tasks/{id}/execute',
    method: 'POST',
    template: '/integration-tasks/{id}/execute',
    path: `/integration-tasks/${TASK}/execute`,
  },
  {
    name: 'POST /facturas',
    method: 'POST',
    template: '/facturas',
    path: '/facturas',
    headers: { 'idempotency-key': 'lote-attack-0001' },
    json: [{ numero_factura: 'F-1', rut_cliente: '11111111-1', monto: 10.5, fecha_emision: today() }],
  },
];

/** Open to anyone and calling no upstream: the probes. */
const PROBES = ['GET /health', 'GET /echo', 'GET /ready'];
const ROSA = { email: 'rosa@example.com', password: 'secreta123', nombre: 'Rosa', apellido: 'Huaman', dni: '45678912', distrito: 'Surco' };

/** The routes open to anyone that call an upstream: an Authorization header there is never read. */
const OPEN_ENDPOINTS: Endpoint[] = [
  { name: 'POST /auth/login', method: 'POST', template: '/auth/login', path: '/auth/login', json: { dni: SEED_DNI.ana, password: SEED_PASSWORDS.ana } },
  { name: 'POST /auth/register', method: 'POST', template: '/auth/register', path: '/auth/register', json: ROSA },
  { name: 'GET /productos/paged', method: 'GET', template: '/productos/paged', path: '/productos/paged?page=1&pagesize=5' },
  { name: 'GET /productos/nombre', method: 'GET', template: '/productos/nombre', path: '/productos/nombre?nombre=amoxi' },
  { name: 'GET /productos/tipo', method: 'GET', template: '/productos/tipo', path: '/productos/tipo?tipo=antibiotico' },
  { name: 'GET /productos/receta', method: 'GET', template: '/productos/receta', path: '/productos/receta?requiere_receta=true' },
  { name: 'GET /productos/stock-bajo', method: 'GET', template: '/productos/stock-bajo', path: '/productos/stock-bajo?minimo=10' },
  { name: 'GET /productos/{id}', method: 'GET', template: '/productos/{id}', path: '/productos/3' },
  { name: 'GET /ofertas/all', method: 'GET', template: '/ofertas/all', path: '/ofertas/all' },
];

/** What an attack changes in the request: its headers (Authorization) and/or query string. */
interface Attack {
  headers?: Record<string, string>;
  query?: string;
}

const bearer = (token: string): Attack => ({ headers: { authorization: `Bearer ${token}` } });

function send(h: Harness, endpoint: Endpoint, attack: Attack) {
  const separator = endpoint.path.includes('?') ? '&' : '?';
  const url = `${API}${endpoint.path}${attack.query ? `${separator}${attack.query}` : ''}`;
  return h.request(url, {
    method: endpoint.method,
    headers: { ...endpoint.headers, ...attack.headers },
    ...(endpoint.json !== undefined ? { json: endpoint.json } : {}),
    ...(endpoint.form ? { body: endpoint.form() } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// Token factories.

interface SignOptions {
  alg?: string;
  secret?: string | Uint8Array;
  /** Claims set after the defaults; `undefined` removes a default. */
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  exp?: number | null;
}

/** An HS* token for Ana (a CLIENTE), with whatever a variant needs changed. */
function signHs({ alg = 'HS256', secret = TEST_SECRET, claims = {}, header = {}, exp = now() + 600 }: SignOptions = {}) {
  const payload: JWTPayload = { sub: SEED_DNI.ana, role: 'CLIENTE', iat: now(), ...claims };
  for (const [key, value] of Object.entries(claims)) if (value === undefined) delete payload[key];
  if (exp !== null) payload.exp = exp;
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', ...header, alg }).sign(key);
}

/** An asymmetric token for Ana signed with `privateKey`. */
function signAsym(
  alg: string,
  privateKey: CryptoKey,
  { kid, claims = {}, exp = now() + 600 }: { kid?: string; claims?: Record<string, unknown>; exp?: number | null } = {},
) {
  const payload: JWTPayload = { sub: SEED_DNI.ana, role: 'CLIENTE', iat: now(), ...claims };
  if (exp !== null) payload.exp = exp;
  return new SignJWT(payload).setProtectedHeader({ alg, ...(kid ? { kid } : {}) }).sign(privateKey);
}

function unsigned(claims: Record<string, unknown> = {}, signature = '') {
  const header = b64url({ alg: 'none', typ: 'JWT' });
  const payload = b64url({ sub: SEED_DNI.ana, role: 'CLIENTE', iat: now(), exp: now() + 600, ...claims });
  return `${header}.${payload}.${signature}`;
}

/** Ana's real token with the payload swapped for an ADMIN one, signature kept. */
async function tamperedToAdmin() {
  const [header, , signature] = (await tokens.ana()).split('.');
  const payload = b64url({ sub: SEED_DNI.admin, role: 'ADMIN', iat: now(), exp: now() + 600 });
  return `${header}.${payload}.${signature}`;
}

const HS_ATTACKS: Array<[string, () => Promise<Attack>]> = [
  ['no Authorization header', async () => ({})],
  ['a Basic scheme', async () => ({ headers: { authorization: `Basic ${Buffer.from('ana:secret').toString('base64')}` } })],
  ['Bearer with nothing after it', async () => ({ headers: { authorization: 'Bearer ' } })],
  ['two tokens in one header', async () => ({ headers: { authorization: `Bearer ${await tokens.ana()} ${await tokens.ana()}` } })],
  ['alg none without signature', async () => bearer(unsigned())],
  ['alg none with a dummy signature', async () => bearer(unsigned({}, 'AAAA'))],
  ['alg none claiming ADMIN', async () => bearer(unsigned({ sub: SEED_DNI.admin, role: 'ADMIN' }))],
  ['HS512 with the right secret', async () => bearer(await signHs({ alg: 'HS512' }))],
  ['HS384 with the right secret', async () => bearer(await signHs({ alg: 'HS384' }))],
  ['an RS256 token (HS256 mode)', async () => bearer(await signAsym('RS256', (await generateKeyPair('RS256')).privateKey))],
  ['an ES256 token (HS256 mode)', async () => bearer(await signAsym('ES256', (await generateKeyPair('ES256')).privateKey))],
  ['an RS256 header over an HMAC of the secret', async () => bearer(hmacWithHeader({ alg: 'RS256', typ: 'JWT' }))],
  ['expired beyond the 30 s tolerance', async () => bearer(await signHs({ exp: now() - 120 }))],
  ['nbf 5 minutes in the future', async () => bearer(await signHs({ claims: { nbf: now() + 300 } }))],
  ['no exp', async () => bearer(await signHs({ exp: null }))],
  ['exp as a string', async () => bearer(await signHs({ exp: null, claims: { exp: String(now() + 600) } }))],
  ['signed with another secret', async () => bearer(await signHs({ secret: OTHER_SECRET }))],
  ['a payload swapped to ADMIN under the original signature', async () => bearer(await tamperedToAdmin())],
  ['a signature stripped off', async () => bearer((await tokens.ana()).split('.').slice(0, 2).join('.') + '.')],
  ['malformed (two segments)', async () => bearer('not.a-jwt')],
  ['malformed (random segments)', async () => bearer('aaaa.bbbb.cccc')],
  ['malformed (JSON payload not base64url)', async () => bearer(`${b64url({ alg: 'HS256' })}.{"sub":"71234567"}.AAAA`)],
  ['an unknown critical header', async () => bearer(hmacWithHeader({ alg: 'HS256', crit: ['x-evil'], 'x-evil': true }))],
  ['over 8 KB even though correctly signed', async () => bearer(await oversized())],
  ['only in the query string (token, access_token, jwt)', async () => ({ query: await queryTokens() })],
  ['only in a cookie', async () => ({ headers: { cookie: `token=${await tokens.ana()}; access_token=${await tokens.ana()}` } })],
  ['no role', async () => bearer(await signHs({ claims: { role: undefined } }))],
  ['role SUPERUSER', async () => bearer(await signHs({ claims: { role: 'SUPERUSER' } }))],
  ['a lowercase role', async () => bearer(await signHs({ claims: { role: 'admin' } }))],
  ['a role list', async () => bearer(await signHs({ claims: { role: ['ADMIN'] } }))],
  ['no sub', async () => bearer(await signHs({ claims: { sub: undefined } }))],
  ['a sub that is not a DNI', async () => bearer(await signHs({ claims: { sub: 'ana@example.com' } }))],
  ['a numeric sub', async () => bearer(await signHs({ claims: { sub: Number(SEED_DNI.ana) } }))],
];

/** A token with any protected header, HMAC-SHA256-signed with the gateway's own secret. */
function hmacWithHeader(protectedHeader: Record<string, unknown>) {
  const header = b64url(protectedHeader);
  const payload = b64url({ sub: SEED_DNI.ana, role: 'CLIENTE', iat: now(), exp: now() + 600 });
  const signature = createHmac('sha256', TEST_SECRET).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

async function oversized() {
  const token = await signHs({ claims: { padding: 'x'.repeat(8 * 1024) } });
  expect(token.length).toBeGreaterThan(8192);
  return token;
}

async function queryTokens() {
  const token = await tokens.ana();
  return `token=${token}&access_token=${token}&jwt=${token}&authorization=${encodeURIComponent(`Bearer ${token}`)}`;
}

// ---------------------------------------------------------------------------------------------

/** Runs every attack against every endpoint of one harness, after a control with a good token. */
function attackEveryEndpoint(
  h: Harness,
  attacks: Array<[string, () => Promise<Attack>]>,
  control: (endpoint: Endpoint) => Promise<Attack>,
) {
  const prepared = new Map<string, Attack>();
  beforeAll(async () => {
    h.listen();
    for (const [name, make] of attacks) prepared.set(name, await make());
  });
  afterAll(h.close);

  describe.each(ENDPOINTS.map((endpoint) => [endpoint.name, endpoint] as const))('%s', (_name, endpoint) => {
    it('lets a good token through to an upstream (the control)', async () => {
      const response = await send(h, endpoint, await control(endpoint));
      expect(h.calls().length, `status ${response.status}`).toBeGreaterThan(0);
    });

    it.each(attacks.map(([name]) => [name]))('rejects a token with %s: 401, no upstream call', async (name) => {
      const attack = prepared.get(name);
      if (!attack) throw new Error(`attack ${name} was not prepared`);
      await expectUnauthenticated(h, await send(h, endpoint, attack));
    });
  });
}

describe('the endpoint table', () => {
  const h = createHarness();
  beforeAll(h.listen);
  afterAll(h.close);

  it('lists exactly the operations the OpenAPI document secures with the bearer scheme', async () => {
    const document = (await (await h.request('/api/schema')).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const secured = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => (operation.security ?? []).length > 0)
        .map(([method, _]) => `${method.toUpperCase()} ${path.replace(API, '')}`),
    );
    const table = ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.template}`);
    expect(table.sort()).toEqual(secured.sort());
    expect(ENDPOINTS).toHaveLength(16);
  });

  it('lists, with the open table, every other operation that calls an upstream: the document opens them to anyone', async () => {
    const document = (await (await h.request('/api/schema')).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const open = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => Array.isArray(operation.security) && operation.security.length === 0)
        .map(([method, _]) => `${method.toUpperCase()} ${path.replace(API, '')}`),
    );
    const table = OPEN_ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.template}`);
    expect([...table, ...PROBES].sort()).toEqual(open.sort());
  });
});

/** Fresh seed and no recorded calls before each case (the app itself keeps no state an attack could change). */
const freshUpstreams = (h: Harness) => () => {
  h.mocks.reset();
  h.logs.lines.length = 0;
};

describe('HS256 mode: every endpoint x every token attack', () => {
  const h = createHarness();
  beforeEach(freshUpstreams(h));
  attackEveryEndpoint(h, HS_ATTACKS, async (endpoint) => bearer(await (endpoint.admin ? tokens.admin() : tokens.ana())));
});

/** The credentials an attack carries (header, cookie and query values), to look for upstream. */
function credentialsOf(attack: Attack): string[] {
  const values: string[] = [];
  const authorization = attack.headers?.authorization;
  if (authorization !== undefined) values.push(...authorization.split(/\s+/).slice(1));
  const cookie = attack.headers?.cookie;
  if (cookie !== undefined) values.push(...cookie.split(';').map((pair) => pair.slice(pair.indexOf('=') + 1)));
  if (attack.query) values.push(...[...new URLSearchParams(attack.query).values()].flatMap((value) => value.split(/\s+/)));
  return values.filter((value) => value.length > 0);
}

/** A JSON answer with every issued token replaced by its claims, less the clock-dependent ones. */
function comparable(value: unknown): unknown {
  if (typeof value === 'string' && JWT_SHAPE.test(value)) {
    const { iat: _iat, exp: _exp, ...claims } = decodeJwt(value);
    return { token_claims: claims };
  }
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, comparable(inner)]));
  }
  return value;
}
const JWT_SHAPE = /^ey[\w-]+\.[\w-]+\.[\w-]+$/;

describe('routes open to anyone x every token attack: ignored, never forwarded', () => {
  const h = createHarness();
  const attacks: Array<[string, () => Promise<Attack>]> = [
    ...HS_ATTACKS,
    ['a valid token (still not forwarded)', async () => bearer(await tokens.ana())],
    ['a valid ADMIN token (still not forwarded)', async () => bearer(await tokens.admin())],
  ];
  const prepared = new Map<string, Attack>();
  beforeAll(async () => {
    h.listen();
    for (const [name, make] of attacks) prepared.set(name, await make());
  });
  afterAll(h.close);

  /**
   * One request: its answer and the upstream calls it caused. A POST runs on a fresh seed (so a
   * registration is new each time); the reads keep the seed, whose dates are taken at reset time.
   */
  async function answerTo(endpoint: Endpoint, attack: Attack) {
    if (endpoint.method === 'POST') h.mocks.reset();
    const before = h.calls().length;
    const response = await send(h, endpoint, attack);
    return { status: response.status, body: comparable(await response.json()), calls: h.calls().slice(before) };
  }

  describe.each(OPEN_ENDPOINTS.map((endpoint) => [endpoint.name, endpoint] as const))('%s', (_name, endpoint) => {
    let baseline: Awaited<ReturnType<typeof answerTo>>;
    beforeAll(async () => {
      baseline = await answerTo(endpoint, {});
    });

    it('answers 200 without any Authorization header, after an upstream call (the control)', () => {
      expect(baseline.status).toBe(200);
      expect(baseline.calls.length).toBeGreaterThan(0);
    });

    it.each(attacks.map(([name]) => [name]))('ignores %s: the same answer as without it, and no upstream sees a token', async (name) => {
      const attack = prepared.get(name);
      if (!attack) throw new Error(`attack ${name} was not prepared`);
      const attacked = await answerTo(endpoint, attack);
      expect(attacked.status).toBe(baseline.status);
      expect(attacked.body).toEqual(baseline.body);
      expect(attacked.calls.map((call) => `${call.method} ${call.path}?${call.query}`)).toEqual(
        baseline.calls.map((call) => `${call.method} ${call.path}?${call.query}`),
      );
      for (const call of attacked.calls) {
        expect(call.headers['authorization'], `${call.method} ${call.path}`).toBeUndefined();
        expect(call.headers['cookie'], `${call.method} ${call.path}`).toBeUndefined();
      }
      // Nor anywhere else in what went upstream: path, query, headers or body.
      const upstream = JSON.stringify(attacked.calls);
      for (const credential of credentialsOf(attack)) expect(upstream.includes(credential), credential.slice(0, 40)).toBe(false);
    });
  });
});

describe('with JWT_ISSUER and JWT_AUDIENCE: every endpoint x wrong or missing iss/aud', () => {
  const h = createHarness({ JWT_ISSUER: 'botica', JWT_AUDIENCE: 'gateway' });
  beforeEach(freshUpstreams(h));
  const role = (endpoint: Endpoint) => ({ ...(endpoint.admin ? { sub: SEED_DNI.admin, role: 'ADMIN' } : {}) });
  attackEveryEndpoint(
    h,
    [
      ['a wrong issuer', async () => bearer(await signHs({ claims: { iss: 'evil', aud: 'gateway' } }))],
      ['a wrong audience', async () => bearer(await signHs({ claims: { iss: 'botica', aud: 'billing' } }))],
      ['no issuer', async () => bearer(await signHs({ claims: { aud: 'gateway' } }))],
      ['no audience', async () => bearer(await signHs({ claims: { iss: 'botica' } }))],
      ['an issuer differing in case', async () => bearer(await signHs({ claims: { iss: 'Botica', aud: 'gateway' } }))],
    ],
    async (endpoint) => bearer(await signHs({ claims: { iss: 'botica', aud: 'gateway', ...role(endpoint) } })),
  );
});

describe('JWKS mode: every endpoint x algorithm confusion and bad RS256 tokens', () => {
  const h = createHarness({ JWT_SECRET: '', JWT_JWKS_URL: JWKS_URL });
  const keys: { rsa?: { privateKey: CryptoKey; pss: CryptoKey; jwk: JWK; pem: string }; stranger?: CryptoKey } = {};

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    // The same RSA key, usable for RSA-PSS signatures.
    const pss = await importPKCS8(await exportPKCS8(privateKey), 'PS256');
    keys.rsa = { privateKey, pss, jwk: { ...(await exportJWK(publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' }, pem: await exportSPKI(publicKey) };
    keys.stranger = (await generateKeyPair('RS256')).privateKey;
  });
  beforeAll(() => {
    h.msw.use(http.get(JWKS_URL, () => HttpResponse.json({ keys: [keys.rsa?.jwk] })));
  });
  beforeEach(freshUpstreams(h));

  const rsa = () => {
    if (!keys.rsa) throw new Error('keys not generated');
    return keys.rsa;
  };
  attackEveryEndpoint(
    h,
    [
      ['HS256 keyed with the RSA public key PEM', async () => bearer(await signHs({ secret: rsa().pem, header: { kid: 'rsa-1' } }))],
      ['HS256 keyed with the RSA public JWK', async () => bearer(await signHs({ secret: JSON.stringify(rsa().jwk), header: { kid: 'rsa-1' } }))],
      ['HS256 keyed with the shared test secret', async () => bearer(await signHs({ header: { kid: 'rsa-1' } }))],
      ['alg none', async () => bearer(unsigned())],
      ['PS256 signed by the key of the set', async () => bearer(await signAsym('PS256', rsa().pss, { kid: 'rsa-1' }))],
      ['RS256 signed by a stranger key under the same kid', async () => bearer(await signAsym('RS256', keys.stranger as CryptoKey, { kid: 'rsa-1' }))],
      ['an expired RS256 token', async () => bearer(await signAsym('RS256', rsa().privateKey, { kid: 'rsa-1', exp: now() - 120 }))],
      ['an RS256 token without exp', async () => bearer(await signAsym('RS256', rsa().privateKey, { kid: 'rsa-1', exp: null }))],
      ['an RS256 token with nbf in the future', async () => bearer(await signAsym('RS256', rsa().privateKey, { kid: 'rsa-1', claims: { nbf: now() + 300 } }))],
      ['an RS256 token with a bad role', async () => bearer(await signAsym('RS256', rsa().privateKey, { kid: 'rsa-1', claims: { role: 'ROOT' } }))],
    ],
    async (endpoint) =>
      bearer(
        await signAsym('RS256', rsa().privateKey, {
          kid: 'rsa-1',
          claims: endpoint.admin ? { sub: SEED_DNI.admin, role: 'ADMIN' } : {},
        }),
      ),
  );
});
