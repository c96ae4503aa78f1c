// The V8 heap policy the gateway sets at start-up, and the operator's flags that override it.
import { describe, expect, it } from 'vitest';
import { memoryPolicyFlags } from '../../src/server/memory-policy.js';

const POLICY = ['--heap-growing-percent=25', '--semi-space-growth-factor=1'];

describe('memoryPolicyFlags', () => {
  it('sets the whole policy when node was started without heap flags of its own', () => {
    expect(memoryPolicyFlags([])).toEqual(POLICY);
    expect(memoryPolicyFlags(['--enable-source-maps', '--max-old-space-size=256'])).toEqual(POLICY);
  });

  it.each([
    [['--heap-growing-percent=0'], ['--semi-space-growth-factor=1']],
    [['--heap_growing_percent=50'], ['--semi-space-growth-factor=1']],
    [['--max-semi-space-size=8'], ['--heap-growing-percent=25']],
    [['--min-semi-space-size=2'], ['--heap-growing-percent=25']],
    [['--semi-space-growth-factor=2'], ['--heap-growing-percent=25']],
    [['--heap-growing-percent=100', '--max-semi-space-size=16'], []],
  ])('keeps the operator\'s %j, setting only %j', (given, set) => {
    expect(memoryPolicyFlags(['--enable-source-maps', ...given])).toEqual(set);
  });

  it('does not mistake a longer flag for one of its own', () => {
    expect(memoryPolicyFlags(['--heap-growing-percentage=5'])).toEqual(POLICY);
  });
});
