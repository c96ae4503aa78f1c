// The SSRF guard on task base_urls: every notation of an internal address, user info, localhost,
// names that resolve inside, TASK_ALLOWED_HOSTS, and what passes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertPublicTaskUrl } from '../../src/domain/tasks/task-url-guard.js';
import { GatewayError } from '../../src/errors/gateway-error.js';
import { fakeResolveHost } from '../helpers/fake-dns.js';

const far = () => Date.now() + 10_000;
const guard = (allowedHosts: string[] = []) => ({ allowedHosts, resolve: fakeResolveHost });
const verdict = async (url: string, allowedHosts: string[] = []) => {
  try {
    await assertPublicTaskUrl(url, guard(allowedHosts), far());
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 400, details: { issues: [{ path: 'config.base_url' }] } });
    return 'refused';
  }
};

describe('assertPublicTaskUrl', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:8080/',
    'http://10.0.0.1',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0/',
    'http://0.0.0.0/',
    'http://255.255.255.255/',
    'http://224.0.0.1/',
    'http://[::1]/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::ffff:8.8.8.8]/',
    'http://[64:ff9b::a00:1]/',
    'http://[2002:a00:1::]/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://localhost/',
    'http://LOCALHOST./',
    'http://api.localhost/',
    'http://user:pass@api.example.com/',
    'http://user@api.example.com/',
    'https://metadata.example.com/',
    'https://intranet.example.com/',
    'https://sneaky.example.com/',
  ])('refuses %s', async (url) => {
    expect(await verdict(url)).toBe('refused');
  });

  it.each([
    'https://api.example.com/sync',
    'https://partner.example.com/',
    'http://8.8.8.8/',
    'http://[2606:4700::1111]/',
    'https://does-not-resolve.example.org/',
  ])('accepts %s', async (url) => {
    expect(await verdict(url)).toBe('accepted');
  });

  it('with TASK_ALLOWED_HOSTS, accepts only those names (exact, or subdomains for *.x), still refusing internal ones', async () => {
    const allowed = ['api.example.com', '*.partners.example.net'];
    expect(await verdict('https://API.example.com./x', allowed)).toBe('accepted');
    expect(await verdict('https://a.b.partners.example.net/', allowed)).toBe('accepted');
    expect(await verdict('https://partners.example.net/', allowed)).toBe('refused');
    expect(await verdict('https://partner.example.com/', allowed)).toBe('refused');
    expect(await verdict('https://metadata.example.com/', ['metadata.example.com'])).toBe('refused');
  });

  it('treats a lookup that fails or outlives the budget as "does not resolve"', async () => {
    const slow = { allowedHosts: [], resolve: () => new Promise<string[]>(() => {}) };
    const failing = { allowedHosts: [], resolve: () => Promise.reject(new Error('EAI_AGAIN')) };
    await expect(assertPublicTaskUrl('https://x.example.org/', failing, far())).resolves.toBeUndefined();
    // The fake never answers; the guard's own cap (min(1 s, budget)) is the resolver's job, so a
    // spent budget skips the lookup altogether.
    await expect(assertPublicTaskUrl('https://x.example.org/', slow, Date.now() - 1)).resolves.toBeUndefined();
  });

  it('refuses every IPv4 literal in a private or loopback range, in dotted and decimal notation (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<[number, number]>([10, 8], [127, 8], [192 * 256 + 168, 16], [169 * 256 + 254, 16]),
        fc.nat(2 ** 16 - 1),
        async ([prefix, bits], rest) => {
          const value = bits === 8 ? prefix * 2 ** 24 + (rest * 251) % 2 ** 24 : prefix * 2 ** 16 + rest;
          const dotted = [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
          expect(await verdict(`http://${dotted}/`)).toBe('refused');
          expect(await verdict(`http://${value}/`)).toBe('refused');
        },
      ),
      { numRuns: 100 },
    );
  });
});
