import { randomBytes } from 'node:crypto';
import { createMockUpstreams, signMockToken, SEED_DNI, SEED_PASSWORDS, SEED_RECETA_IDS, SEED_TASK_IDS } from '../mocks/index.js';
import { startMockServers } from '../mocks/servers/start-mock-servers.js';
import { loadConfig, upstreamUrlEnv } from '../src/config/config.js';
import { createDeps } from '../src/deps.js';
import { listenFailureMessage } from '../src/server/listen-failure.js';
import { startServer } from '../src/server/start-server.js';

/** A frontend's dev server started next to the demo (Vite's default) works at once. */
const DEMO_CORS_ORIGINS = 'http://localhost:5173,http://127.0.0.1:5173';

/**
 * One command for a newcomer: the mock upstreams with seeded data on local ports, the gateway
 * in front of them with a freshly generated secret, and tokens plus curl lines that work as printed.
 */
const secret = randomBytes(32).toString('hex');
const recetasApi = process.env.RECETAS_API === 'validar' ? 'validar' : 'estado';
const mocks = createMockUpstreams({ jwtSecret: secret, recetasApi });
const upstreams = await startMockServers(mocks);

const loaded = loadConfig({
  ...process.env,
  JWT_SECRET: secret,
  JWT_JWKS_URL: undefined,
  CORS_ORIGINS: process.env.CORS_ORIGINS ?? DEMO_CORS_ORIGINS,
  ...upstreamUrlEnv(upstreams.urls),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
if (!loaded.ok) {
  for (const line of loaded.errors) console.error(`invalid configuration: ${line}`);
  await upstreams.close();
  process.exit(1);
}
const deps = createDeps(loaded.config);
const gateway = await startServer(deps).catch(async (error: NodeJS.ErrnoException) => {
  console.error(listenFailureMessage(error, loaded.config.host, loaded.config.port, 'npm run demo'));
  deps.close();
  await upstreams.close();
  process.exit(1);
});

const twelveHours = 12 * 3600;
const cliente = await signMockToken(secret, { dni: SEED_DNI.ana, role: 'CLIENTE', expiresInSeconds: twelveHours });
const admin = await signMockToken(secret, { dni: SEED_DNI.admin, role: 'ADMIN', expiresInSeconds: twelveHours });
const asCliente = `-H "Authorization: Bearer $CLIENTE"`;
const asAdmin = `-H "Authorization: Bearer $ADMIN"`;
const json = `-H "Content-Type: application/json"`;
const today = new Date().toISOString().slice(0, 10);
const login = JSON.stringify({ dni: SEED_DNI.ana, password: SEED_PASSWORDS.ana });
const invoices = JSON.stringify([
  { numero_factura: 'F-001', rut_cliente: '11.111.111-1', monto: 1500.5, fecha_emision: today },
  { numero_factura: 'F-002', rut_cliente: '76086428-5', monto: 89.9, fecha_emision: today },
]);

console.log(`
botica-gateway demo
  gateway     ${gateway.url}   (docs: ${gateway.url}/api/docs, metrics: ${gateway.url}/metrics)
  upstreams   ${Object.entries(upstreams.urls).map(([name, url]) => `${name}=${url}`).join('  ')}
  CORS        ${loaded.config.corsOrigins.join(', ') || '(none)'}   prescriptions API: ${recetasApi}

Paste these into your shell (CLIENTE is Ana Quispe, DNI ${SEED_DNI.ana}, password ${SEED_PASSWORDS.ana}; ADMIN is DNI ${SEED_DNI.admin}):
export API=${gateway.url}/api/orchestrator
export CLIENTE=${cliente}
export ADMIN=${admin}

Then try:
curl -s $API/health
curl -s -X POST ${json} -d '${login}' $API/auth/login
curl -s "$API/productos/nombre?nombre=amoxi"
curl -s ${asCliente} $API/compras/me
curl -s -X POST ${asCliente} ${json} -d '{"productos":[{"producto_id":1,"cantidad":2},{"producto_id":3,"cantidad":1}]}' $API/compras
curl -s -X POST ${asCliente} ${json} -d '{"productos":[4],"cantidades":[5]}' $API/compras
curl -s -X PUT ${asCliente} ${json} -d '{"estadovalidacion":"VALIDADA"}' $API/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}
curl -s -X PUT ${asCliente} ${json} -d '{}' $API/recetas/validar/${SEED_RECETA_IDS.anaPendingBadDoctor}
curl -s ${asAdmin} "$API/compras/all?page=1&pagesize=10"
curl -s ${asCliente} $API/integration-tasks
curl -s -X POST ${asCliente} $API/integration-tasks/${SEED_TASK_IDS.anaPending}/execute
curl -s ${asCliente} $API/integration-tasks/${SEED_TASK_IDS.anaPending}
curl -s -X POST ${asCliente} ${json} -H "Idempotency-Key: demo-lote-1" -d '${invoices}' $API/facturas
curl -s -X POST ${asCliente} ${json} -H "Idempotency-Key: demo-lote-1" -d '${invoices}' $API/facturas

(the login answers a token as the users service issues it, the same kind as $CLIENTE;
 the catalogue, login and registration need no token;
 the task runs in the background: the last tasks line shows status "executed";
 the second invoice line replays the key and gets 409 DUPLICATE_REQUEST;
 messages are in Spanish: add -H "Accept-Language: en" for English)

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
