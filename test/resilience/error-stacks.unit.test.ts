// Which errors carry a stack: answers given on purpose and breaker refusals do not (nothing logs
// it, and capturing it is most of their cost), every other error still does.
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors/gateway-error.js';
import { UpstreamError } from '../../src/errors/upstream-error.js';

const frames = (error: Error) => (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).length;

describe('error stacks', () => {
  it('captures none for a GatewayError or a breaker refusal', () => {
    expect(frames(new GatewayError('NOT_FOUND'))).toBe(0);
    expect(frames(new UpstreamError('productos', 'circuit-open'))).toBe(0);
  });

  it('keeps them for every other upstream failure, and for errors made afterwards', () => {
    const limit = Error.stackTraceLimit;
    expect(frames(new UpstreamError('productos', 'timeout'))).toBeGreaterThan(0);
    new GatewayError('CONFLICT');
    new UpstreamError('recetas', 'circuit-open');
    expect(frames(new Error('a bug'))).toBeGreaterThan(0);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
