// HTTPS in the process: with TLS_CERT_FILE and TLS_KEY_FILE the gateway serves HTTPS itself and
// sends Strict-Transport-Security (without them: plain HTTP and no HSTS, probe-fast-path.sockets).
// The certificate is self-signed, made at test time with the openssl CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';

const HEALTH = '/api/orchestrator/health';
const opensslMissing = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0;
const tlsSuite = 'gateway with TLS_CERT_FILE and TLS_KEY_FILE (self-signed certificate from openssl)';

interface HttpsAnswer { status: number; headers: IncomingHttpHeaders; body: string; protocol: string | null }

/** GET over HTTPS trusting only `ca` (or only the default root CAs without it). */
function getTrusting(url: string, ca?: Buffer): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...(ca ? { ca } : {}), agent: false }, (res) => {
      const protocol = res.socket instanceof TLSSocket ? res.socket.getProtocol() : null;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, protocol }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// Skipped, with the reason in its title, when the openssl CLI is missing (apt-get install openssl).
describe.skipIf(opensslMissing)(opensslMissing ? `${tlsSuite} - SKIPPED: the openssl CLI is not installed` : tlsSuite, () => {
  let dir: string;
  let cert: Buffer;
  let sut: GatewayUnderTest;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'botica-tls-'));
    const keyFile = join(dir, 'k.pem');
    const certFile = join(dir, 'c.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ], { stdio: 'pipe' });
    cert = readFileSync(certFile);
    sut = await startGatewayUnderTest({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
  });

  afterAll(async () => {
    await sut?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with the configured certificate and sends Strict-Transport-Security', async () => {
    expect(sut.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await getTrusting(`${sut.url}${HEALTH}`, cert);
    expect(res.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'healthy', service: 'orchestrator' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('sends HSTS on errors too (a 401 from an authenticated route)', async () => {
    const res = await getTrusting(`${sut.url}/api/orchestrator/compras/me`, cert);
    expect(res.status).toBe(401);
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  });

  it('refuses a client that does not trust the certificate (it is really the configured one)', async () => {
    await expect(getTrusting(`${sut.url}${HEALTH}`)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('does not answer plain HTTP on the TLS port', async () => {
    const plain = sut.url.replace(/^https:/, 'http:');
    const answer = await fetch(`${plain}${HEALTH}`, { signal: AbortSignal.timeout(5_000) }).then(
      (res) => res.status,
      () => 'refused',
    );
    // Node's TLS server answers a plain HTTP request with a raw "400 Bad Request" and closes.
    expect(answer === 'refused' || answer === 400).toBe(true);
  });
});
