import type { RequestIdVariables } from 'hono/request-id';
import type { TimingVariables } from 'hono/timing';
import type { Principal, RequestContext } from '../domain/request-context.js';

/** Typed Hono context variables set by the gateway's middleware. */
export interface AppEnv {
  Variables: RequestIdVariables &
    TimingVariables & {
    principal: Principal;
    requestContext: RequestContext;
    /** Epoch ms when the request arrived. */
    startedAt: number;
  };
}
