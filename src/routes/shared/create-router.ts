import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env.js';
import { validationHook } from '../../http/validation-hook.js';

/** Every route group is an OpenAPIHono with the same validation hook and trailing-slash tolerance. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
