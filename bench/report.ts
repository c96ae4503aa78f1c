import type { Scenario } from './scenarios.js';

export interface Measured {
  scenario: Scenario;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  upstreamCallsPerRequest: number;
  peakRssMb: number;
}

export interface RunInfo {
  latencyMs: number;
  durationS: number;
  warmupS: number;
  node: string;
  cpus: string;
  date: string;
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** The markdown report: the table, the ratios against baselines of the same run, and each target. */
export function renderReport(results: Measured[], run: RunInfo): string {
  const by = (name: string) => results.find((result) => result.scenario.name === name);
  const L = run.latencyMs;
  const rows = results.map(
    (r) =>
      `| ${r.scenario.name} | ${r.scenario.latencyMs} | ${r.scenario.connections} | ${fmt(r.requestsPerSecond, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.upstreamCallsPerRequest, 2)} | ${r.peakRssMb} | ${r.non2xx + r.errors === 0 ? 0 : `${r.non2xx} non-2xx, ${r.errors} errors`} |`,
  );

  const checks: string[] = [];
  const check = (label: string, ok: boolean | undefined, detail: string) =>
    checks.push(`| ${label} | ${ok === undefined ? 'not measured' : ok ? 'met' : '**missed**'} | ${detail} |`);

  const buy10 = by('POST /compras 10 lines: gateway');
  const naive10 = by('POST /compras 10 lines: naive sequential');
  check('POST /compras 10 lines: p50 <= 3L + 5 ms', buy10 && buy10.p50 <= 3 * L + 5, `p50 ${fmt(buy10?.p50 ?? NaN, 2)} ms vs ${3 * L + 5} ms`);
  const speedup = naive10 && buy10 ? naive10.p50 / buy10.p50 : NaN;
  check('POST /compras 10 lines: >= 6x faster than naive sequential', buy10 && naive10 && speedup >= 6, `${fmt(speedup, 1)}x (naive p50 ${fmt(naive10?.p50 ?? NaN, 2)} ms)`);
  const me = by('compras/me: gateway');
  check('GET /compras/me: p50 <= 2L + 5 ms', me && me.p50 <= 2 * L + 5, `p50 ${fmt(me?.p50 ?? NaN, 2)} ms vs ${2 * L + 5} ms; ${fmt(me?.upstreamCallsPerRequest ?? NaN, 2)} upstream calls per request`);
  const health = by('health: gateway');
  const bare = by('health: bare node:http');
  const healthRatio = health && bare ? health.requestsPerSecond / bare.requestsPerSecond : NaN;
  check('GET /health >= 60% of bare node:http', health && bare && healthRatio >= 0.6, `${fmt(healthRatio * 100, 0)}% (${fmt(health?.requestsPerSecond ?? NaN, 0)} vs ${fmt(bare?.requestsPerSecond ?? NaN, 0)} req/s)`);
  const forwarded = by('1 forwarded call: gateway');
  const direct = by('1 forwarded call: direct');
  const overhead = forwarded && direct ? forwarded.p50 - direct.p50 : NaN;
  check('gateway overhead on one forwarded call <= 1 ms at p50', forwarded && direct && overhead <= 1, `${fmt(overhead, 2)} ms (gateway ${fmt(forwarded?.p50 ?? NaN, 2)} vs direct ${fmt(direct?.p50 ?? NaN, 2)} ms)`);
  const open = by('breaker open: gateway');
  check('breaker open: p99 < 5 ms with zero upstream calls', open && open.p99 < 5 && open.upstreamCallsPerRequest === 0, `p99 ${fmt(open?.p99 ?? NaN, 2)} ms, ${fmt(open?.upstreamCallsPerRequest ?? NaN, 2)} calls per request`);
  const wide = by('compras/me: gateway, 200 connections');
  check('peak RSS < 150 MB with 200 connections', wide && wide.peakRssMb < 150, `${wide?.peakRssMb ?? 'n/a'} MB`);

  return `# Benchmark results

Produced by \`npm run bench\` (${run.date}) on ${run.cpus}, Node ${run.node}.
Each scenario: ${run.warmupS} s warm-up, then ${run.durationS} s measured with autocannon. The gateway, the
mock upstreams (each call delayed by L ms) and the baselines each run in their own process on
loopback; the load generator shares the same 2 cores, so absolute numbers are modest and the
ratios between rows of the same run are what matter. Gateway log level: warn.

| scenario | L ms | connections | req/s | p50 ms | p99 ms | upstream calls / req | peak RSS MB | failures |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

## Targets

| target | result | measured |
|---|---|---|
${checks.join('\n')}

Baselines: "bare node:http" answers the health JSON with nothing else; "direct" makes the same
upstream calls with the same client (undici Pool) and no framework, validation or auth; "naive
sequential" performs the 10-line purchase one upstream call after another. "ky+fetch" is the same
gateway with \`UPSTREAM_HTTP_CLIENT=fetch\`. "2 workers" is \`WORKERS=2\` (node:cluster).
`;
}
