import type { RequestIdVariables } from 'hono/request-id';
import type { TimingVariables } from 'hono/timing';
import type { Principal, PublicContext, RequestContext } from '../domain/request-context.js';

/** Typed Hono context variables set by the gateway's middleware. */
export interface AppEnv {
  Variables: RequestIdVariables &
    TimingVariables & {
    principal: Principal;
    requestContext: RequestContext;
    /** Set on routes open to anyone, where no token is read (see middleware/public-context.ts). */
    publicContext: PublicContext;
    /** Epoch ms when the request arrived. */
    startedAt: number;
    /**
     * The client's address (TCP peer, or X-Forwarded-For per TRUSTED_PROXY_HOPS; see
     * http/client-address.ts); undefined only without a socket (requests made in-process by tests).
     */
    clientAddress: string | undefined;
  };
}
