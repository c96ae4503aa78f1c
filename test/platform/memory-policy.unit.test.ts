// The heap growth the gateway sets at start-up, and the operator's flag that overrides it.
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../src/server/memory-policy.js';

describe('heapGrowthFlag', () => {
  it('sets the policy when node was started without a growth flag of its own', () => {
    expect(heapGrowthFlag([])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapGrowthFlag(['--enable-source-maps', '--max-old-space-size=256'])).toBe('--heap-growing-percent=25');
  });

  it.each([['--heap-growing-percent=0'], ['--heap-growing-percent=100'], ['--heap_growing_percent=50']])(
    'keeps the operator\'s %s',
    (flag) => {
      expect(heapGrowthFlag(['--enable-source-maps', flag])).toBeUndefined();
    },
  );

  it('does not mistake a longer flag for it', () => {
    expect(heapGrowthFlag(['--heap-growing-percentage=5'])).toBe('--heap-growing-percent=25');
  });
});
