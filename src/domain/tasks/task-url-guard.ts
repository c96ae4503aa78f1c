import ipaddr from 'ipaddr.js';
import { validationError } from '../../errors/gateway-error.js';

/** Resolves a host name to every address it has; a failure or timeout is "does not resolve". */
export type ResolveHost = (host: string, timeoutMs: number) => Promise<string[]>;

export interface TaskUrlGuardOptions {
  /** `TASK_ALLOWED_HOSTS`: exact names, or `*.example.com` for its subdomains at any depth. */
  allowedHosts: readonly string[];
  resolve: ResolveHost;
}

/** Each name resolution is capped at this, or the request's remaining budget when shorter. */
const MAX_RESOLVE_MS = 1000;

const refused = () => validationError([{ path: 'config.base_url', message: { key: 'issue.base_url_internal' } }]);

/** Every address ipaddr.js does not classify as plain unicast: loopback, private, link-local, NAT64, 6to4, ... */
function isInternal(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const parsed = ipaddr.parse(address);
  if (parsed.range() !== 'unicast') return true;
  // An IPv6 form that embeds an IPv4 address is classified by the embedded one too.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address().range() !== 'unicast';
  }
  return false;
}

function allowedByList(host: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const rule = entry.toLowerCase().replace(/\.$/, '');
    return rule.startsWith('*.') ? host.endsWith(rule.slice(1)) && host.length > rule.length - 1 : host === rule;
  });
}

/**
 * The task worker calls `base_url` from inside the pharmacy's network, so a URL that could reach
 * inside it is refused (400 `config.base_url`): user info, `localhost` and `*.localhost`, an IP
 * literal in any notation (WHATWG URL has already turned `0x7f000001`, `2130706433`, `127.1` and
 * `0177.0.0.1` into dotted form) outside plain unicast, and a name that resolves to such an
 * address. A name that does not resolve is accepted. Best-effort: it cannot stop a worker that
 * follows redirects or a name that re-resolves between this check and the worker's call.
 */
export async function assertPublicTaskUrl(baseUrl: string, options: TaskUrlGuardOptions, deadline: number): Promise<void> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw refused();
  }
  if (url.username !== '' || url.password !== '') throw refused();
  const host = url.hostname.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) throw refused();
  if (options.allowedHosts.length > 0 && !allowedByList(host, options.allowedHosts)) throw refused();
  if (ipaddr.isValid(host)) {
    if (isInternal(host)) throw refused();
    return;
  }
  const budget = Math.min(MAX_RESOLVE_MS, deadline - Date.now());
  if (budget <= 0) return;
  const addresses = await options.resolve(host, budget).catch(() => []);
  if (addresses.some(isInternal)) throw refused();
}
