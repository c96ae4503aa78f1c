import type { RequestIdVariables } from 'hono/request-id';
import type { Principal, RequestContext } from '../domain/request-context.js';

/** Typed Hono context variables set by the gateway's middleware. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    principal: Principal;
    requestContext: RequestContext;
    traceparent: string;
    deadline: number;
  };
}
