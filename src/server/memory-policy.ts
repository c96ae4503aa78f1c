/**
 * How far V8 lets the old generation grow past what survived the last full collection.
 *
 * V8 sizes a process with a large heap limit for throughput: after a full GC it lets the heap
 * grow to up to 4x the live set before collecting again. This gateway's live set is small (about
 * 45 MB under 200 connections, measured with a heap snapshot; docs/operations.md) and its
 * allocation rate high, so under load the default let the process fill several times its live
 * set with garbage not yet collected. 1.25x keeps the peak near the live set for more frequent
 * (concurrent) marking; `npm run bench` measures both in one run.
 */
export const HEAP_GROWING_PERCENT = 25;

const FLAG = '--heap-growing-percent';

/**
 * The V8 flag to set at start-up, or none when the operator gave `--heap-growing-percent`
 * on node's command line (V8 accepts it there, not in NODE_OPTIONS). V8 reads it at every full
 * collection, so setting it from the running process takes effect.
 */
export function heapGrowthFlag(execArgv: readonly string[]): string | undefined {
  const given = execArgv.some((arg) => {
    const name = arg.split('=')[0]?.replaceAll('_', '-');
    return name === FLAG;
  });
  return given ? undefined : `${FLAG}=${HEAP_GROWING_PERCENT}`;
}
