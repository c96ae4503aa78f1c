import { randomUUID } from 'node:crypto';

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

// randomUUID draws from a cached entropy pool: far cheaper per call than randomBytes. A v4 UUID
// has 122 random bits; the fixed version/variant nibbles are replaced so ids stay unbiased enough
// for tracing (W3C asks for randomness, not for all 128 bits).
const randomHex32 = () => {
  const hex = randomUUID().replaceAll('-', '');
  return `${hex.slice(0, 12)}${hex.slice(13, 16)}${hex.slice(17)}${randomUUID().slice(0, 2)}`;
};
const randomHex16 = () => randomHex32().slice(0, 16);

/** Same trace id, a fresh span id: the header an upstream call carries. */
export function childTraceparent(parent: string): string {
  const [version, traceId, , flags] = parent.split('-');
  return `${version}-${traceId}-${randomHex16()}-${flags}`;
}
