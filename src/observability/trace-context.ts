import { randomFillSync } from 'node:crypto';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Returns the incoming W3C traceparent when valid, otherwise starts a new trace. */
export function incomingOrNewTraceparent(header: string | undefined): string {
  const match = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (match && match[1] !== 'ff' && match[2] !== ZERO_TRACE && match[3] !== ZERO_SPAN) {
    return `00-${match[2]}-${match[3]}-${match[4]}`;
  }
  return `00-${randomHex32()}-${randomHex16()}-01`;
}

// Ids are cut from a pool of random bytes refilled 4 KiB at a time: one small string per id, where
// drawing each from randomBytes (or two UUIDs, as before) allocated several. Every upstream call
// takes a span id, so this is on the hot path.
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

const randomHex32 = () => randomHex(16);
const randomHex16 = () => randomHex(8);

/** Same trace id, a fresh span id: the header an upstream call carries. */
export function childTraceparent(parent: string): string {
  const [version, traceId, , flags] = parent.split('-');
  return `${version}-${traceId}-${randomHex16()}-${flags}`;
}
