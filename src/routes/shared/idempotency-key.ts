import { z } from '@hono/zod-openapi';

/** 1..255 visible ASCII characters (`!` to `~`), no spaces. */
export const IdempotencyKeySchema = z
  .string({ error: 'Idempotency-Key header is required' })
  .regex(/^[\x21-\x7e]{1,255}$/, 'issue.idempotency_key')
  .openapi({ example: 'lote-2025-08-24-0001' });
