import { UpstreamError, isRejectedWith } from '../../errors/upstream-error.js';
import type { CallContext } from '../http/call-context.js';
import type { Upstream } from '../http/call-upstream.js';
import { IssuedTokenSchema, ProfileSchema, RegistrationRefusalSchema, type IssuedToken, type Profile } from './usuarios-payloads.js';

export type { IssuedToken, Profile } from './usuarios-payloads.js';

export type Credentials = { dni: string; password: string } | { email: string; password: string };

export interface Registration {
  email: string;
  password: string;
  nombre: string;
  apellido: string;
  dni: string;
  distrito: string;
}

export type ProfileChanges = Partial<Pick<Registration, 'nombre' | 'apellido' | 'distrito' | 'email' | 'password'>>;

/** The service did not accept the credentials: an unknown account (400) or a wrong password (401), alike. */
export class CredentialsRefused extends Error {
  constructor(cause: unknown) {
    super('usuarios: credentials refused', { cause });
  }
}

/** The service already has an account with that DNI or email (409). */
export class AccountExists extends Error {
  constructor(cause: unknown) {
    super('usuarios: account exists', { cause });
  }
}

/** The service refused some fields of a registration (its 400 with `validationErrors`). */
export class RegistrationFieldsRefused extends Error {
  constructor(readonly fields: string[]) {
    super(`usuarios: registration refused fields ${fields.join(', ')}`);
  }
}

/**
 * Accounts on the users service: login and register (anonymous: no Authorization is sent) and
 * the caller's own profile (the caller's token is forwarded, as on every users call).
 */
export interface AccountClient {
  /** Throws `CredentialsRefused` for the service's 400 (unknown user, no identifier) and 401 (wrong password). */
  login(credentials: Credentials, ctx: CallContext): Promise<IssuedToken>;
  /**
   * Throws `RegistrationFieldsRefused` for a 400 naming fields, `AccountExists` for its 409; a
   * 400 naming none is the service's own failure ("Error en el registro"), thrown as
   * `unavailable` outside the breaker.
   */
  register(account: Registration, ctx: CallContext): Promise<IssuedToken>;
  getProfile(ctx: CallContext): Promise<Profile>;
  /** The service answers a taken email with a 500: such 500s are input errors, outside the breaker. */
  updateProfile(changes: ProfileChanges, ctx: CallContext): Promise<Profile>;
}

export function createAccountClient(upstream: Upstream): AccountClient {
  return {
    async login(credentials, ctx) {
      try {
        return await upstream.call({ operation: 'login', method: 'POST', path: 'api/auth/login', json: credentials, schema: IssuedTokenSchema }, ctx);
      } catch (error) {
        if (isRejectedWith(error, 400) || isRejectedWith(error, 401)) throw new CredentialsRefused(error);
        throw error;
      }
    },
    async register(account, ctx) {
      try {
        return await upstream.call(
          { operation: 'register', method: 'POST', path: 'api/auth/register', json: account, schema: IssuedTokenSchema },
          ctx,
        );
      } catch (error) {
        if (isRejectedWith(error, 409)) throw new AccountExists(error);
        if (!isRejectedWith(error, 400)) throw error;
        const refusal = RegistrationRefusalSchema.safeParse(error.body);
        if (refusal.success) throw new RegistrationFieldsRefused(Object.keys(refusal.data.validationErrors));
        throw new UpstreamError('usuarios', 'unavailable', { status: 400, excludedFromBreaker: true, cause: error });
      }
    },
    getProfile: (ctx) => upstream.call({ operation: 'getProfile', method: 'GET', path: 'api/user/me', schema: ProfileSchema }, ctx),
    updateProfile: (changes, ctx) =>
      upstream.call(
        {
          operation: 'updateProfile',
          method: 'PUT',
          path: 'api/user/me',
          json: changes,
          schema: ProfileSchema,
          serverErrorsAreInputErrors: true,
        },
        ctx,
      ),
  };
}
