/**
 * How V8 sizes this process's heap, set at start-up (main.ts).
 *
 * V8's defaults are tuned for a process with a large live set: after a full collection it lets
 * the old generation grow to up to 4x what survived, and it grows the young generation to
 * 2 x 16 MB whenever much of it survives a scavenge. This gateway's live set is small (about
 * 45 MB under 200 connections, in a heap snapshot) but its allocation rate is high and every
 * request in flight survives a scavenge or two, so under load both defaults filled the process
 * with garbage not yet collected (285 MB peak RSS for 46 MB live). The policy below keeps the
 * peak near the live set; `npm run bench` measures it against V8's defaults in one run, and
 * docs/operations.md gives the figures.
 */
export const MEMORY_POLICY = [
  // The old generation grows to 1.25x its live set before the next (concurrent) marking.
  { flag: '--heap-growing-percent=25', unlessGiven: ['--heap-growing-percent'] },
  // The young generation stays at its initial size: short scavenges, fewer copies of the
  // requests in flight; the few that outlive two scavenges go to the old generation.
  {
    flag: '--semi-space-growth-factor=1',
    unlessGiven: ['--semi-space-growth-factor', '--max-semi-space-size', '--min-semi-space-size'],
  },
] as const;

/**
 * The flags to set, leaving out any whose subject the operator decided on node's command line
 * or in NODE_OPTIONS. V8 reads both at every collection, so setting them from the running
 * process takes effect (the young generation's maximum size, by contrast, is fixed before any
 * code runs).
 */
export function memoryPolicyFlags(nodeArgs: readonly string[]): string[] {
  const given = new Set(nodeArgs.map((arg) => arg.split('=')[0]?.replaceAll('_', '-')));
  return MEMORY_POLICY.filter((rule) => !rule.unlessGiven.some((flag) => given.has(flag))).map((rule) => rule.flag);
}
