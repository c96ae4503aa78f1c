import { describe, expect, it } from 'vitest';
import { childTraceparent, incomingOrNewTraceparent } from '../../src/observability/trace-context.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const VALID = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const parts = (header: string) => {
  const match = TRACEPARENT.exec(header);
  if (!match) throw new Error(`not a traceparent: ${header}`);
  return { traceId: match[1], spanId: match[2], flags: match[3] };
};

describe('incomingOrNewTraceparent', () => {
  it.each([
    ['a valid incoming traceparent', VALID, VALID],
    ['the unsampled flag of the caller (00 stays unsampled)', VALID.replace(/-01$/, '-00'), VALID.replace(/-01$/, '-00')],
    ['a valid one in another case or with surrounding whitespace, normalised', `  ${VALID.toUpperCase()} `, VALID],
  ])('keeps %s', (_name, header, kept) => {
    expect(incomingOrNewTraceparent(header)).toBe(kept);
  });

  it('starts a new trace when there is no header', () => {
    const { traceId, spanId, flags } = parts(incomingOrNewTraceparent(undefined));
    expect(traceId).not.toBe('0'.repeat(32));
    expect(spanId).not.toBe('0'.repeat(16));
    expect(flags).toBe('01');
  });

  it('starts a different trace each time', () => {
    expect(parts(incomingOrNewTraceparent(undefined)).traceId).not.toBe(parts(incomingOrNewTraceparent(undefined)).traceId);
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['empty', ''],
    ['version ff', 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['all-zero trace id', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`],
    ['all-zero span id', `00-0af7651916cd43dd8448eb211c80319c-${'0'.repeat(16)}-01`],
    ['short trace id', '00-0af7651916cd43dd8448eb211c8031-b7ad6b7169203331-01'],
    ['non-hex characters', '00-0af7651916cd43dd8448eb211c80319z-b7ad6b7169203331-01'],
  ])('replaces an invalid header (%s) with a new trace', (_name, header) => {
    const result = incomingOrNewTraceparent(header);
    expect(result).toMatch(TRACEPARENT);
    expect(parts(result).traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
  });
});

describe('childTraceparent', () => {
  it.each(['01', '00'])('keeps the trace id and the flags (%s) and picks a fresh span id', (flags) => {
    const child = childTraceparent(VALID.replace(/-01$/, `-${flags}`));
    expect(parts(child).traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(parts(child).flags).toBe(flags);
    expect(parts(child).spanId).not.toBe('b7ad6b7169203331');
  });

  it('gives each child its own span id', () => {
    const spans = new Set(Array.from({ length: 20 }, () => parts(childTraceparent(VALID)).spanId));
    expect(spans.size).toBe(20);
  });
});
