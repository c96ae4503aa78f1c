// The routes open to anyone (login, register, the catalogue) never read a credential: whatever a
// request carries, valid or forged, in the Authorization header, a cookie or the query string, the
// answer is the same as without it and no upstream ever sees it. They run the `publicContext`
// middleware, which does not look at the token at all, so the attacks here are one of each kind
// (a valid token, a forged one, each place a credential can be), not the verifier's whole table.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_DNI } from '../../mocks/index.js';
import { TEST_SECRET, createHarness, tokens } from '../helpers/harness.js';
import { OPEN, PROBES, bearer, documentedOperations, send, tableOf, type Attack, type Endpoint } from './auth-endpoints.js';
import { forger, now } from './token-forgery.js';

const f = forger(TEST_SECRET);

const ATTACKS: Array<[string, () => Promise<Attack>]> = [
  ['a valid token (still not forwarded)', async () => bearer(await tokens.ana())],
  ['a valid ADMIN token (still not forwarded)', async () => bearer(await tokens.admin())],
  ['an expired token', async () => bearer(await f.signHs({ exp: now() - 120 }))],
  ['a token signed with another secret', async () => bearer(await f.signHs({ secret: 'an-attacker-secret-that-is-at-least-32-bytes' }))],
  ['an alg none token claiming ADMIN', async () => bearer(f.unsigned({ sub: SEED_DNI.admin, role: 'ADMIN' }))],
  ['a malformed token', async () => bearer('aaaa.bbbb.cccc')],
  ['a Basic scheme', async () => ({ headers: { authorization: `Basic ${Buffer.from('ana:secret').toString('base64')}` } })],
  ['two tokens in one header', async () => ({ headers: { authorization: `Bearer ${await tokens.ana()} ${await tokens.ana()}` } })],
  [
    'a token in the query string (token, access_token, jwt, authorization)',
    async () => {
      const token = await tokens.ana();
      return { query: `token=${token}&access_token=${token}&jwt=${token}&authorization=${encodeURIComponent(`Bearer ${token}`)}` };
    },
  ],
  ['a token in a cookie', async () => ({ headers: { cookie: `token=${await tokens.ana()}; access_token=${await tokens.ana()}` } })],
];

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

const JWT_SHAPE = /^ey[\w-]+\.[\w-]+\.[\w-]+$/;
/** A JSON answer with every issued token replaced by its claims, less the clock-dependent ones. */
function comparable(value: unknown): unknown {
  if (typeof value === 'string' && JWT_SHAPE.test(value)) {
    const { iat: _iat, exp: _exp, ...claims } = decodeJwt(value);
    return { token_claims: claims };
  }
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, comparable(inner)]));
  return value;
}

const h = createHarness();
const prepared = new Map<string, Attack>();
beforeAll(async () => {
  h.listen();
  for (const [name, make] of ATTACKS) prepared.set(name, await make());
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

it('lists, with the probes, every operation the OpenAPI document opens to anyone', async () => {
  const open = await documentedOperations(h, (security) => Array.isArray(security) && security.length === 0);
  expect([...tableOf(OPEN), ...PROBES].sort()).toEqual(open.sort());
});

describe.each(OPEN.map((endpoint) => [endpoint.name, endpoint] as const))('%s', (_name, endpoint) => {
  let baseline: Awaited<ReturnType<typeof answerTo>>;
  beforeAll(async () => {
    baseline = await answerTo(endpoint, {});
  });

  it('answers without any Authorization header, after an upstream call (the control)', () => {
    expect(baseline.status).toBe(endpoint.success);
    expect(baseline.calls.length).toBeGreaterThan(0);
  });

  it.each(ATTACKS.map(([name]) => [name]))('ignores %s: the same answer as without it, and no upstream sees a token', async (name) => {
    const attack = prepared.get(name) as Attack;
    const attacked = await answerTo(endpoint, attack);
    expect(attacked.status).toBe(baseline.status);
    expect(attacked.body).toEqual(baseline.body);
    expect(attacked.calls.map((call) => `${call.method} ${call.path}?${call.query}`)).toEqual(baseline.calls.map((call) => `${call.method} ${call.path}?${call.query}`));
    for (const call of attacked.calls) {
      expect(call.headers['authorization'], `${call.method} ${call.path}`).toBeUndefined();
      expect(call.headers['cookie'], `${call.method} ${call.path}`).toBeUndefined();
    }
    // Nor anywhere else in what went upstream: path, query, headers or body.
    const upstream = JSON.stringify(attacked.calls);
    for (const credential of credentialsOf(attack)) expect(upstream.includes(credential), credential.slice(0, 40)).toBe(false);
  });
});
