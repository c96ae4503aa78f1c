import { bodyLimit } from 'hono/body-limit';
import { GatewayError } from '../../errors/gateway-error.js';

/** Hono's body limit, answering in the uniform error body (also for chunked bodies without Content-Length). */
export function limitBody(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new GatewayError('PAYLOAD_TOO_LARGE', { message: `Request body exceeds ${maxSize} bytes` });
    },
  });
}
