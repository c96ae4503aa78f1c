// Fault rules of the mock upstreams: what a rule looks like, how a JSON body becomes rules (with
// every problem listed), and which rule a call gets. A call takes the first rule, in list order,
// whose method and path match and which still has applications left (`times`); an exhausted rule
// passes calls through, so `[{reset, times: 1}, {status: 500}]` resets once, then answers 500.
import type { ServiceName } from '../state.js';

export const FAULT_KINDS = ['latency', 'late-apply', 'hang', 'reset', 'status', 'malformed-json', 'wrong-shape'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** HTTP method to match (any case); every method when absent. */
  method?: string;
  /** Exact path (no query string), or a prefix when it ends in `*` (`/api/productos/*`). */
  path: string;
  fault: FaultKind;
  /** `latency`, `late-apply`: wait this long, then let the real handler answer (required for both). */
  latencyMs?: number;
  /** `status`: the status to answer (default 500); `malformed-json`/`wrong-shape`: the 2xx (default 200). */
  status?: number;
  /** Body of `status` (default `{"error":"injected fault"}`), `malformed-json` or `wrong-shape`. */
  body?: string;
  /** Apply to the first N matching calls only, then pass through. Every matching call when absent. */
  times?: number;
}

/** A rule as the state keeps it: which service it belongs to and how often it was applied. */
export interface StoredFault {
  service: ServiceName;
  rule: FaultRule;
  applied: number;
}

const RULE_KEYS = new Set(['method', 'path', 'fault', 'latencyMs', 'status', 'body', 'times']);
const MAX_LATENCY_MS = 10 * 60_000;

const isInt = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

function ruleIssues(value: unknown, at: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: must be an object`];
  const rule = value as Record<string, unknown>;
  const issues = Object.keys(rule).filter((key) => !RULE_KEYS.has(key)).map((key) => `${at}.${key}: unknown field`);
  const check = (ok: boolean, field: string, message: string) => {
    if (!ok) issues.push(`${at}.${field}: ${message}`);
  };
  check(rule.method === undefined || (typeof rule.method === 'string' && /^[A-Za-z]+$/.test(rule.method)), 'method', 'must be an HTTP method');
  const path = rule.path;
  check(typeof path === 'string' && path.startsWith('/') && !path.slice(0, -1).includes('*'), 'path', "must start with '/' and may only end in '*'");
  check(FAULT_KINDS.includes(rule.fault as FaultKind), 'fault', `must be one of ${FAULT_KINDS.join(', ')}`);
  check((rule.fault !== 'latency' && rule.fault !== 'late-apply') || rule.latencyMs !== undefined, 'latencyMs', `is required for ${String(rule.fault)}`);
  check(rule.latencyMs === undefined || isInt(rule.latencyMs, 0, MAX_LATENCY_MS), 'latencyMs', `must be an integer 0..${MAX_LATENCY_MS}`);
  check(rule.status === undefined || isInt(rule.status, 200, 599), 'status', 'must be an integer 200..599');
  const successOnly = rule.fault === 'malformed-json' || rule.fault === 'wrong-shape';
  check(!successOnly || rule.status === undefined || isInt(rule.status, 200, 299), 'status', `must be 2xx for ${String(rule.fault)}`);
  check(rule.body === undefined || typeof rule.body === 'string', 'body', 'must be a string');
  check(rule.times === undefined || isInt(rule.times, 1, Number.MAX_SAFE_INTEGER), 'times', 'must be a positive integer');
  return issues;
}

/** Parses a JSON array of rules; `issues` lists every problem (`1.latencyMs: ...`). */
export function parseFaultRules(value: unknown): { rules: FaultRule[] } | { issues: string[] } {
  if (!Array.isArray(value)) return { issues: ['body: must be a JSON array of fault rules'] };
  const issues = value.flatMap((rule, index) => ruleIssues(rule, String(index)));
  if (issues.length > 0) return { issues };
  const rules = (value as FaultRule[]).map((rule) => ({ ...rule, ...(rule.method ? { method: rule.method.toUpperCase() } : {}) }));
  return { rules };
}

export function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

/** The rule this call gets (counted as applied), or undefined to pass through. */
export function takeFault(faults: readonly StoredFault[], service: ServiceName, method: string, path: string): FaultRule | undefined {
  const found = faults.find(
    ({ service: owner, rule, applied }) =>
      owner === service &&
      (rule.method === undefined || rule.method === method.toUpperCase()) &&
      pathMatches(rule.path, path) &&
      (rule.times === undefined || applied < rule.times),
  );
  if (found) found.applied += 1;
  return found?.rule;
}
