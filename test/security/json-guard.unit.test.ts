import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, exceedsDepth } from '../../src/http/middleware/json-guard.js';

const nested = (levels: number, open = '[', close = ']') => `${open.repeat(levels)}${close.repeat(levels)}`;

describe('exceedsDepth', () => {
  it('accepts exactly the maximum depth and rejects one level more', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(exceedsDepth(nested(64), 64)).toBe(false);
    expect(exceedsDepth(nested(65), 64)).toBe(true);
  });

  it('counts objects and arrays alike', () => {
    const mixed = '{"a":['.repeat(32) + '1' + ']}'.repeat(32);
    expect(JSON.parse(mixed)).toBeDefined();
    expect(exceedsDepth(mixed, 64)).toBe(false);
    expect(exceedsDepth(`[${mixed}]`, 64)).toBe(true);
  });

  it('measures the deepest point, not the number of brackets', () => {
    const wide = `[${'[[1]],'.repeat(500)}[[1]]]`;
    expect(exceedsDepth(wide, 3)).toBe(false);
    expect(exceedsDepth(wide, 2)).toBe(true);
  });

  it('ignores brackets inside strings', () => {
    const text = JSON.stringify({ note: '['.repeat(200) + '{'.repeat(200) });
    expect(exceedsDepth(text, 1)).toBe(false);
  });

  it('ignores escaped quotes inside strings, so the string does not end early', () => {
    // The value is: say \"[[[[\" ok  - the escaped quotes must not close the string.
    const text = JSON.stringify({ a: `say "${'['.repeat(100)}" ok` });
    expect(text).toContain('\\"');
    expect(exceedsDepth(text, 1)).toBe(false);
  });

  it('handles an escaped backslash right before a closing quote', () => {
    // "x\\" closes the string after the escaped backslash; the brackets after it are real.
    const text = `["x\\\\", ${nested(3)}]`;
    expect(JSON.parse(text)).toHaveLength(2);
    expect(exceedsDepth(text, 3)).toBe(true);
    expect(exceedsDepth(text, 4)).toBe(false);
  });

  it('treats scalars and empty text as depth zero', () => {
    expect(exceedsDepth('', 0)).toBe(false);
    expect(exceedsDepth('"[[["', 0)).toBe(false);
    expect(exceedsDepth('42', 0)).toBe(false);
  });

  it('scans a very deep hostile body without recursing', () => {
    expect(exceedsDepth('['.repeat(1_000_000), 64)).toBe(true);
  });
});
