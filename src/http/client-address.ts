/**
 * The client's address, given the TCP peer, the X-Forwarded-For value(s) and TRUSTED_PROXY_HOPS:
 * how many proxies in front of the gateway append to X-Forwarded-For.
 *
 * - 0 hops: the peer address; X-Forwarded-For is ignored (a client can write anything there).
 * - n hops: the n-th entry from the right. Each trusted proxy appends the address it received the
 *   connection from, so the rightmost n entries are theirs and the n-th from the right is what the
 *   outermost trusted proxy saw; anything further left came from the client and is never used.
 * - A missing header, or one with fewer than n entries, falls back to the peer address.
 *
 * Entries are trimmed and empty ones skipped; several X-Forwarded-For headers count as one list,
 * in order (Node joins them with ", "; an array is joined the same way). IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`, what a dual-stack socket reports for an IPv4 peer) become the plain IPv4
 * address, so one client has one key whichever way it was seen. Pure, for the request log line
 * and for per-address limits.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trustedProxyHops: number,
): string | undefined {
  if (trustedProxyHops > 0 && forwardedFor !== undefined) {
    const joined = typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',');
    const entries = joined
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    // `at(-n)` is undefined when there are fewer than n entries: the peer then.
    const entry = entries.at(-trustedProxyHops);
    if (entry !== undefined) return unmapIpv4(entry);
  }
  return peer === undefined ? undefined : unmapIpv4(peer);
}

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

function unmapIpv4(address: string): string {
  return IPV4_MAPPED.exec(address)?.[1] ?? address;
}
