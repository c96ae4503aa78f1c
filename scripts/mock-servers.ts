import { randomBytes } from 'node:crypto';
import { createMockUpstreams, signMockToken, SEED_DNI } from '../mocks/index.js';
import { startMockServers } from '../mocks/servers/start-mock-servers.js';

/**
 * Only the mock upstreams, on the upstream URLs' default ports (override with MOCK_HOST), for running
 * `npm start` against them. Uses JWT_SECRET when set so the gateway and the mocks agree.
 */
const secret = process.env.JWT_SECRET ?? randomBytes(32).toString('hex');
// RECETAS_API=validar plays the prescriptions service in the pharmacy's repository today.
const mocks = createMockUpstreams({ jwtSecret: secret, recetasApi: process.env.RECETAS_API === 'validar' ? 'validar' : 'estado' });
const servers = await startMockServers(mocks, {
  host: process.env.MOCK_HOST ?? '127.0.0.1',
  ports: { usuarios: 8080, productos: 8000, recetas: 3000, tareas: 8001, facturas: 8002 },
});
console.log('mock upstreams listening:');
for (const [service, url] of Object.entries(servers.urls)) console.log(`  ${service.padEnd(9)} ${url}`);
if (!process.env.JWT_SECRET) console.log(`\nJWT_SECRET=${secret}`);
console.log(`CLIENTE token: ${await signMockToken(secret, { dni: SEED_DNI.ana, role: 'CLIENTE', expiresInSeconds: 43_200 })}`);
console.log(`ADMIN token:   ${await signMockToken(secret, { dni: SEED_DNI.admin, role: 'ADMIN', expiresInSeconds: 43_200 })}`);

const stop = () => void servers.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
