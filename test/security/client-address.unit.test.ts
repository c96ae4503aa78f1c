// TRUSTED_PROXY_HOPS: which address is the client's, for the request log line and per-address limits.
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/http/client-address.js';

const PEER = '10.0.0.5';

describe('clientAddress', () => {
  it.each<[string, string | undefined, string | string[] | undefined, number, string | undefined]>([
    ['0 hops: the peer, X-Forwarded-For ignored', PEER, '203.0.113.7', 0, PEER],
    ['0 hops without a header', PEER, undefined, 0, PEER],
    ['1 hop: the rightmost entry', PEER, '203.0.113.7', 1, '203.0.113.7'],
    ['1 hop: the rightmost entry, whatever the client wrote to its left', PEER, '6.6.6.6, 203.0.113.7', 1, '203.0.113.7'],
    ['2 hops: the second entry from the right', PEER, '6.6.6.6, 203.0.113.7, 198.51.100.2', 2, '203.0.113.7'],
    ['2 hops, exactly two entries: the leftmost', PEER, '203.0.113.7, 198.51.100.2', 2, '203.0.113.7'],
    ['a header shorter than the hops: the peer', PEER, '198.51.100.2', 2, PEER],
    ['a missing header: the peer', PEER, undefined, 1, PEER],
    ['an empty header: the peer', PEER, '', 1, PEER],
    ['a header of only commas and blanks: the peer', PEER, ' , ,', 1, PEER],
    ['whitespace around entries is trimmed', PEER, '  6.6.6.6 ,\t203.0.113.7  ', 1, '203.0.113.7'],
    ['empty entries are skipped', PEER, '203.0.113.7, , 198.51.100.2,', 2, '203.0.113.7'],
    ['several X-Forwarded-For headers form one list, in order', PEER, ['6.6.6.6, 203.0.113.7', '198.51.100.2'], 2, '203.0.113.7'],
    ['several headers, 1 hop: the last entry of the last header', PEER, ['6.6.6.6', '203.0.113.7'], 1, '203.0.113.7'],
    ['an IPv6 entry is kept as written', PEER, '2001:db8::1', 1, '2001:db8::1'],
    ['an IPv4-mapped IPv6 entry becomes IPv4', PEER, '::ffff:203.0.113.7', 1, '203.0.113.7'],
    ['an IPv4-mapped IPv6 peer becomes IPv4', '::ffff:127.0.0.1', undefined, 0, '127.0.0.1'],
    ['an IPv4-mapped IPv6 peer (upper case) becomes IPv4', '::FFFF:127.0.0.1', '203.0.113.7', 0, '127.0.0.1'],
    ['an IPv6 peer is kept', '::1', undefined, 0, '::1'],
    ['a shorter header falls back to the mapped peer, unmapped', '::ffff:127.0.0.1', '203.0.113.7', 3, '127.0.0.1'],
    ['no peer (no socket) and no usable header: unknown', undefined, undefined, 1, undefined],
    ['no peer, 0 hops: unknown even with a header', undefined, '203.0.113.7', 0, undefined],
  ])('%s', (_name, peer, forwardedFor, hops, expected) => {
    expect(clientAddress(peer, forwardedFor, hops)).toBe(expected);
  });
});
