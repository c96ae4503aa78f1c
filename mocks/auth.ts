// The HS256 tokens the users service issues, and the check the users and task services make on
// the forwarded Authorization header. Tests and the demo sign tokens with the same secret.
import { SignJWT, jwtVerify } from 'jose';

export type MockRole = 'CLIENTE' | 'ADMIN';

export interface MockTokenClaims {
  /** The token's `sub`. */
  dni: string;
  role: string;
}

export interface SignMockTokenInput {
  dni: string;
  /** Any string, so tests can also sign tokens with a role the gateway must reject. */
  role: MockRole | (string & {});
  /** Defaults to one hour; a negative value signs an already expired token. */
  expiresInSeconds?: number;
}

const DEFAULT_EXPIRY_SECONDS = 3600;

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signMockToken(secret: string, input: SignMockTokenInput): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: input.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.dni)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (input.expiresInSeconds ?? DEFAULT_EXPIRY_SECONDS))
    .sign(secretKey(secret));
}

/** Claims of a valid `Bearer` token signed with `secret`, or null for anything else. */
export async function verifyBearer(authorization: string | undefined, secret: string): Promise<MockTokenClaims | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const token = match?.[1];
  if (token === undefined) return null;
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || payload.sub === '') return null;
    return { dni: payload.sub, role: typeof payload['role'] === 'string' ? payload['role'] : '' };
  } catch {
    return null;
  }
}
