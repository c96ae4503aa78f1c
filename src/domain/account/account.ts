import { GatewayError, validationError } from '../../errors/gateway-error.js';
import {
  AccountExists,
  CredentialsRefused,
  RegistrationFieldsRefused,
  type AccountClient,
  type Credentials,
  type IssuedToken,
  type Profile,
  type ProfileChanges,
  type Registration,
} from '../../upstreams/usuarios/account-client.js';
import type { CallerLimits } from '../ports/caller-limits.js';
import type { PublicContext, RequestContext } from '../request-context.js';
import { assertWriteBudget } from '../shared/write-budget.js';

export interface AccountDeps {
  accounts: AccountClient;
  limits: CallerLimits;
  upstreamTimeoutMs: number;
}

export interface AccountUseCases {
  login(credentials: Credentials, clientAddress: string | undefined, ctx: PublicContext): Promise<IssuedToken>;
  register(account: Registration, clientAddress: string | undefined, ctx: PublicContext): Promise<IssuedToken>;
  getProfile(ctx: RequestContext): Promise<Profile>;
  updateProfile(changes: ProfileChanges, ctx: RequestContext): Promise<Profile>;
}

/**
 * Login, registration and the caller's profile, forwarded to the users service. Login and
 * register are limited per client address; login never tells whether an account exists. (The
 * profile change is a write: the composition root puts it behind the per-caller write limit.)
 */
export function accountUseCases(deps: AccountDeps): AccountUseCases {
  return {
    async login(credentials, clientAddress, ctx) {
      await countAttempt(deps.limits, clientAddress);
      try {
        return await deps.accounts.login(credentials, ctx);
      } catch (error) {
        // An unknown account and a wrong password read the same: no oracle.
        if (error instanceof CredentialsRefused) throw new GatewayError('UNAUTHENTICATED', { text: 'auth.bad_credentials', cause: error });
        throw error;
      }
    },
    async register(account, clientAddress, ctx) {
      await countAttempt(deps.limits, clientAddress);
      try {
        return await deps.accounts.register(account, ctx);
      } catch (error) {
        if (error instanceof RegistrationFieldsRefused) {
          throw validationError(error.fields.map((field) => ({ path: field, message: { key: 'issue.rejected_by_service' } })));
        }
        if (error instanceof AccountExists) throw new GatewayError('CONFLICT', { text: 'account.exists', cause: error });
        throw error;
      }
    },
    getProfile: (ctx) => deps.accounts.getProfile(ctx),
    async updateProfile(changes, ctx) {
      // The service refuses (500) an email already on file, the caller's own included, and the
      // web frontend always sends the current one: an unchanged email is no change, so it is
      // dropped, at the cost of one read when an email is sent.
      let forwarded = changes;
      if (changes.email !== undefined) {
        const current = await deps.accounts.getProfile(ctx);
        if (current.email?.toLowerCase() === changes.email.toLowerCase()) {
          const { email: _unchanged, ...rest } = changes;
          forwarded = rest;
        }
      }
      assertWriteBudget(ctx, deps.upstreamTimeoutMs);
      return deps.accounts.updateProfile(forwarded, ctx);
    },
  };
}

/** Requests made in-process (tests) have no socket; they share one bucket. */
const countAttempt = (limits: CallerLimits, address: string | undefined) => limits.countLogin(address ?? 'unknown');
