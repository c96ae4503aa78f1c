import { randomBytes } from 'node:crypto';
import { createMockUpstreams, signMockToken, SEED_DNI, SEED_RECETA_IDS, SEED_TASK_IDS } from '../mocks/index.js';
import { startMockServers } from '../mocks/servers/start-mock-servers.js';
import { loadConfig, upstreamUrlEnv } from '../src/config/config.js';
import { createDeps } from '../src/deps.js';
import { startServer } from '../src/server/start-server.js';

/**
 * One command for a newcomer: the mock upstreams with seeded data on local ports, the gateway
 * in front of them with a freshly generated secret, and tokens plus curl lines that work as printed.
 */
const secret = randomBytes(32).toString('hex');
const mocks = createMockUpstreams({ jwtSecret: secret });
const upstreams = await startMockServers(mocks);

const loaded = loadConfig({
  ...process.env,
  JWT_SECRET: secret,
  JWT_JWKS_URL: undefined,
  ...upstreamUrlEnv(upstreams.urls),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
if (!loaded.ok) {
  for (const line of loaded.errors) console.error(`invalid configuration: ${line}`);
  await upstreams.close();
  process.exit(1);
}
const deps = createDeps(loaded.config);
const gateway = await startServer(deps);

const twelveHours = 12 * 3600;
const cliente = await signMockToken(secret, { dni: SEED_DNI.ana, role: 'CLIENTE', expiresInSeconds: twelveHours });
const admin = await signMockToken(secret, { dni: SEED_DNI.admin, role: 'ADMIN', expiresInSeconds: twelveHours });
const api = `${gateway.url}/api/orchestrator`;
const auth = (token: string) => `-H "Authorization: Bearer ${token}"`;
const json = `-H "Content-Type: application/json"`;
const invoices = JSON.stringify([
  { numero_factura: 'F-001', rut_cliente: '11.111.111-1', monto: 1500.5, fecha_emision: new Date().toISOString().slice(0, 10) },
  { numero_factura: 'F-002', rut_cliente: '76086428-5', monto: 89.9, fecha_emision: new Date().toISOString().slice(0, 10) },
]);

console.log(`
botica-gateway demo
  gateway     ${gateway.url}   (docs: ${gateway.url}/api/docs, metrics: ${gateway.url}/metrics)
  upstreams   ${Object.entries(upstreams.urls).map(([name, url]) => `${name}=${url}`).join('  ')}

CLIENTE token (Ana Quispe, DNI ${SEED_DNI.ana}):
${cliente}

ADMIN token (DNI ${SEED_DNI.admin}):
${admin}

Try:
curl -s ${api}/health
curl -s ${auth(cliente)} ${api}/compras/me
curl -s -X POST ${auth(cliente)} ${json} -d '{"productos":[{"producto_id":1,"cantidad":2},{"producto_id":3,"cantidad":1}],"datos_adicionales":{"metodo_pago":"tarjeta"}}' ${api}/compras
curl -s -X POST ${auth(cliente)} ${json} -d '{"productos":[4],"cantidades":[5]}' ${api}/compras
curl -s -X PUT ${auth(cliente)} ${json} -d '{"estadovalidacion":"VALIDADA"}' ${api}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}
curl -s -X PUT ${auth(cliente)} ${json} -d '{}' ${api}/recetas/validar/${SEED_RECETA_IDS.anaPendingBadDoctor}
curl -s ${auth(admin)} "${api}/compras/all?page=1&pagesize=10"
curl -s ${auth(cliente)} ${api}/integration-tasks
curl -s -X POST ${auth(cliente)} ${api}/integration-tasks/${SEED_TASK_IDS.anaPending}/execute
curl -s ${auth(cliente)} ${api}/integration-tasks/${SEED_TASK_IDS.anaPending}
curl -s -X POST ${auth(cliente)} ${json} -H "Idempotency-Key: demo-lote-1" -d '${invoices}' ${api}/facturas
curl -s -X POST ${auth(cliente)} ${json} -H "Idempotency-Key: demo-lote-1" -d '${invoices}' ${api}/facturas

(the task runs in the background: the last tasks line shows status "executed";
 the second invoice line replays the key and gets 409 DUPLICATE_REQUEST)

Ctrl-C stops everything.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await gateway.drain();
  await upstreams.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
