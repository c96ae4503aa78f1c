import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { signMockToken, SEED_DNI, SERVICE_NAMES } from '../mocks/index.js';
import { childPids, cpuTimeMs, freePort, peakRssMb, resetPeakRss, startGateway, startJsonChild, type Child } from './processes.js';
import { idempotencyKey, LEAN_HEAP_FLAGS, scenarios, type Scenario, type Target } from './scenarios.js';
import { renderReport, type Measured } from './report.js';
import { loadConfig, upstreamUrlEnv } from '../src/config/config.js';
import { measureStoreOverhead } from './store-overhead.js';
import { startRedis } from '../scripts/dev/redis-server.js';

/**
 * `npm run bench`: the gateway, its mock upstreams and the baselines each in their own process
 * on loopback, driven by autocannon. Env: BENCH_LATENCY_MS (20), BENCH_DURATION_S (5),
 * BENCH_WARMUP_S (1), BENCH_ONLY (substring filter on scenario names).
 */
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
const durationS = Number(process.env.BENCH_DURATION_S ?? 5);
const warmupS = Number(process.env.BENCH_WARMUP_S ?? 1);
const only = process.env.BENCH_ONLY;

const secret = randomBytes(32).toString('hex');
// The shared store of the scale-out rows (and of WORKERS > 1, which needs one).
const redis = await startRedis();
const upstreams = await startJsonChild<{ urls: Record<string, string> }>('dist/bench/bench-upstreams.js', [secret, '0']);
const baseline = await startJsonChild<{ url: string }>('dist/bench/baselines.js', [JSON.stringify(upstreams.info.urls)]);
const gatewayEnv = {
  JWT_SECRET: secret,
  ...upstreamUrlEnv(upstreams.info.urls),
  LOG_LEVEL: 'warn',
  BREAKER_RESET_TIMEOUT_MS: '60000',
  // One caller sends every request of a scenario, many of them identical purchases on purpose:
  // the double-submit rule and the per-caller limits would answer most of them 201-replayed or
  // 429 instead of measuring purchases, so they are off here (as the contract allows).
  DOUBLE_SUBMIT_WINDOW_MS: '0',
  PURCHASES_IN_FLIGHT_PER_CALLER: '0',
  WRITES_PER_MINUTE_PER_CALLER: '0',
  LOGINS_PER_MINUTE_PER_ADDRESS: '0',
};
const redisEnv = { ...gatewayEnv, REDIS_URL: redis.url };
const ports = {
  gateway: await freePort(),
  cluster: await freePort(),
  fresh: await freePort(),
  freshLean: await freePort(),
  redis: await freePort(),
  redis3: await freePort(),
  nobatch: await freePort(),
  redisNobatch: await freePort(),
};
const gateways: Record<Exclude<Target, 'baseline'>, Child> = {
  gateway: await startGateway(gatewayEnv, ports.gateway),
  'gateway-cluster': await startGateway({ ...redisEnv, WORKERS: '2' }, ports.cluster),
  'gateway-fresh': await startGateway(gatewayEnv, ports.fresh),
  'gateway-fresh-lean': await startGateway(gatewayEnv, ports.freshLean, LEAN_HEAP_FLAGS),
  'gateway-redis': await startGateway(redisEnv, ports.redis),
  'gateway-redis-3': await startGateway({ ...redisEnv, WORKERS: '3' }, ports.redis3),
  'gateway-nobatch': await startGateway({ ...gatewayEnv, STOCK_BATCHING: 'off' }, ports.nobatch),
  'gateway-redis-nobatch': await startGateway({ ...redisEnv, STOCK_BATCHING: 'off' }, ports.redisNobatch),
};
const origin: Record<Target, string> = {
  gateway: `http://127.0.0.1:${ports.gateway}`,
  'gateway-cluster': `http://127.0.0.1:${ports.cluster}`,
  'gateway-fresh': `http://127.0.0.1:${ports.fresh}`,
  'gateway-fresh-lean': `http://127.0.0.1:${ports.freshLean}`,
  'gateway-redis': `http://127.0.0.1:${ports.redis}`,
  'gateway-redis-3': `http://127.0.0.1:${ports.redis3}`,
  'gateway-nobatch': `http://127.0.0.1:${ports.nobatch}`,
  'gateway-redis-nobatch': `http://127.0.0.1:${ports.redisNobatch}`,
  baseline: baseline.info.url,
};
const tokens = {
  cliente: await signMockToken(secret, { dni: SEED_DNI.ana, role: 'CLIENTE', expiresInSeconds: 3600 }),
  admin: await signMockToken(secret, { dni: SEED_DNI.admin, role: 'ADMIN', expiresInSeconds: 3600 }),
};

const control = (service: string, path: string, init?: RequestInit) =>
  fetch(`${upstreams.info.urls[service]}${path}`, init);
const setLatency = (ms: number) =>
  Promise.all(SERVICE_NAMES.map((s) => control(s, '/__bench/latency', { method: 'PUT', body: JSON.stringify({ ms }) })));
const resetCounts = () => Promise.all(SERVICE_NAMES.map((s) => control(s, '/__bench/reset-count', { method: 'POST' })));
const countCalls = async () => {
  const counts = await Promise.all(SERVICE_NAMES.map(async (s) => ((await (await control(s, '/__bench/count')).json()) as { count: number }).count));
  return counts.reduce((sum, count) => sum + count, 0);
};

function load(scenario: Scenario, seconds: number) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (scenario.token) headers.authorization = `Bearer ${tokens[scenario.token]}`;
  if (scenario.body !== undefined) headers['content-type'] = 'application/json';
  const body = scenario.body === undefined ? undefined : JSON.stringify(scenario.body);
  return autocannon({
    url: `${origin[scenario.target]}${scenario.path}`,
    connections: scenario.connections,
    duration: seconds,
    method: scenario.method,
    headers,
    ...(body ? { body } : {}),
    ...(scenario.uniqueKey
      ? { requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': idempotencyKey() } }) }] }
      : {}),
  });
}

/**
 * Makes the scenario's service fail, then sends the scenario's request until `/ready` reports its
 * breaker open. A fixed number of requests is not enough: the breaker judges the error rate over
 * its rolling window, which still holds the previous scenario's successes.
 */
async function openBreaker(scenario: Scenario, service: 'recetas' | 'productos') {
  await control(service, '/__bench/fail', { method: 'PUT', body: JSON.stringify({ fail: true }) });
  const breakerOf = async () => {
    const ready = (await (await fetch(`${origin[scenario.target]}/api/orchestrator/ready`)).json()) as { upstreams?: Record<string, { breaker: string }> };
    return ready.upstreams?.[service]?.breaker;
  };
  for (let sent = 0; (await breakerOf()) !== 'open'; sent += 20) {
    if (sent > 20_000) throw new Error(`the ${service} breaker did not open`);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${origin[scenario.target]}${scenario.path}`, {
          method: scenario.method,
          headers: { authorization: `Bearer ${tokens.cliente}`, 'content-type': 'application/json' },
          body: JSON.stringify(scenario.body),
        }).then((response) => response.arrayBuffer()),
      ),
    );
  }
}

const results: Measured[] = [];
for (const scenario of scenarios(latencyMs).filter((s) => !only || s.name.includes(only))) {
  await setLatency(scenario.latencyMs);
  if (scenario.openBreaker) await openBreaker(scenario, scenario.openBreaker);
  if (warmupS > 0) await load(scenario, warmupS);
  const target = scenario.target === 'baseline' ? baseline.child : gateways[scenario.target];
  const pids = [target.pid, ...childPids(target.pid)];
  resetPeakRss(pids);
  const cpuBefore = cpuTimeMs(pids);
  await resetCounts();
  const result = await load(scenario, durationS);
  const calls = await countCalls();
  results.push({
    scenario,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    upstreamCallsPerRequest: result.requests.total > 0 ? calls / result.requests.total : 0,
    peakRssMb: peakRssMb(pids),
    cpuMsPerRequest: result.requests.total > 0 ? (cpuTimeMs(pids) - cpuBefore) / result.requests.total : 0,
  });
  // The breaker stays open (BREAKER_RESET_TIMEOUT_MS is long here): these scenarios come last.
  if (scenario.openBreaker) await control(scenario.openBreaker, '/__bench/fail', { method: 'PUT', body: JSON.stringify({ fail: false }) });
  console.error(`done: ${scenario.name}`);
}

await Promise.all([...Object.values(gateways), upstreams.child, baseline.child].map((child) => child.stop()));
const loaded = loadConfig({ ...gatewayEnv, REDIS_URL: redis.url, WRITES_PER_MINUTE_PER_CALLER: '1000000', PURCHASES_IN_FLIGHT_PER_CALLER: '2' });
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const storeOverhead = only && !'store overhead'.includes(only) ? [] : await measureStoreOverhead(loaded.config, 3000);
await redis.stop();

const report = renderReport(results, {
  latencyMs,
  durationS,
  warmupS,
  node: process.version,
  cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
  date: new Date().toISOString(),
}, storeOverhead);
console.log(report);
if (!only) {
  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.md', report);
  console.error('wrote bench/results.md');
}
