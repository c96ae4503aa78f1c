// The request log line names the caller (masked DNI) and the client address: the TCP peer with
// TRUSTED_PROXY_HOPS=0 (X-Forwarded-For ignored), the entry the trusted proxy appended with 1.
// The gateway listens on a real socket (the peer address exists only there); its log is captured.
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_DNI } from '../../mocks/index.js';
import { createLogger, maskDni } from '../../src/observability/logger.js';
import { LogCapture } from '../helpers/harness.js';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';
import { httpRequest } from '../helpers/e2e.js';

let sut: GatewayUnderTest | undefined;
afterEach(async () => {
  await sut?.close();
  sut = undefined;
});

async function gatewayWithHops(hops: number, logs: LogCapture): Promise<GatewayUnderTest> {
  sut = await startGatewayUnderTest({ TRUSTED_PROXY_HOPS: String(hops) }, { logger: createLogger('info', logs) });
  return sut;
}

/** The `request` line of the request with this id. */
function requestLine(logs: LogCapture, requestId: string): Record<string, unknown> {
  const lines = logs.entries().filter((entry) => entry.msg === 'request' && entry.requestId === requestId);
  expect(lines).toHaveLength(1);
  return lines[0] as Record<string, unknown>;
}

// What a client behind one Ingress sends: its own forged entry, then the Ingress's.
const FORWARDED = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' };

describe('the request log line', () => {
  it('TRUSTED_PROXY_HOPS=1: the caller masked and the address the proxy appended', async () => {
    const logs = new LogCapture();
    const gateway = await gatewayWithHops(1, logs);
    const answer = await httpRequest(`${gateway.url}/api/orchestrator/compras/me`, {
      headers: { ...FORWARDED, authorization: `Bearer ${gateway.clienteToken}`, 'x-request-id': 'log-hops-1' },
    });
    expect(answer.status).toBe(200);
    const line = requestLine(logs, 'log-hops-1');
    expect(line).toMatchObject({ status: 200, caller: maskDni(SEED_DNI.ana), clientAddress: '203.0.113.7' });
    expect(logs.text()).not.toContain(SEED_DNI.ana);

    // A header shorter than the hops (none at all): the peer.
    await httpRequest(`${gateway.url}/api/orchestrator/health`, { headers: { 'x-request-id': 'log-hops-1-bare' } });
    expect(requestLine(logs, 'log-hops-1-bare').clientAddress).toBe('127.0.0.1');
  });

  it('TRUSTED_PROXY_HOPS=0: the TCP peer, X-Forwarded-For ignored; no caller on anonymous or refused requests', async () => {
    const logs = new LogCapture();
    const gateway = await gatewayWithHops(0, logs);
    await httpRequest(`${gateway.url}/api/orchestrator/compras/me`, {
      headers: { ...FORWARDED, authorization: `Bearer ${gateway.adminToken}`, 'x-request-id': 'log-hops-0' },
    });
    expect(requestLine(logs, 'log-hops-0')).toMatchObject({ status: 200, caller: maskDni(SEED_DNI.admin), clientAddress: '127.0.0.1' });

    await httpRequest(`${gateway.url}/api/orchestrator/health`, { headers: { ...FORWARDED, 'x-request-id': 'log-anonymous' } });
    const anonymous = requestLine(logs, 'log-anonymous');
    expect(anonymous.clientAddress).toBe('127.0.0.1');
    expect(anonymous).not.toHaveProperty('caller');

    await httpRequest(`${gateway.url}/api/orchestrator/compras/me`, {
      headers: { authorization: 'Bearer not-a-token', 'x-request-id': 'log-refused' },
    });
    expect(requestLine(logs, 'log-refused')).toMatchObject({ status: 401, clientAddress: '127.0.0.1' });
    expect(requestLine(logs, 'log-refused')).not.toHaveProperty('caller');
    expect(logs.text()).not.toContain('6.6.6.6');
    expect(logs.text()).not.toContain('203.0.113.7');
    expect(logs.text()).not.toContain(SEED_DNI.admin);
  });
});
