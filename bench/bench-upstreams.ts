import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createMockUpstreams, SERVICE_NAMES, SEED_USER_IDS, type ServiceName } from '../mocks/index.js';
import type { MockData } from '../mocks/data/types.js';

/**
 * The mock upstreams as a benchmark needs them, run as their own process: every call waits
 * `latencyMs` (the network and the service's work), calls are counted per service, and the seed
 * is grown so no purchase runs out of stock and Ana has 20 purchases x 5 lines over 10 products.
 *
 * Control (per server, not counted): GET /__bench/count, POST /__bench/reset-count,
 * PUT /__bench/latency {"ms"}, PUT /__bench/fail {"fail": true} (every call answers 500).
 */
const [secret = '', latencyArg = '0'] = process.argv.slice(2);
let latencyMs = Number(latencyArg);
const mocks = createMockUpstreams({ jwtSecret: secret });
growSeed(mocks.state.data);

const servers: Server[] = [];
const urls = {} as Record<ServiceName, string>;
for (const service of SERVICE_NAMES) {
  let count = 0;
  let failing = false;
  const app = new Hono();
  app.get('/__bench/count', (c) => c.json({ count }));
  app.post('/__bench/reset-count', (c) => {
    count = 0;
    return c.body(null, 204);
  });
  app.put('/__bench/latency', async (c) => {
    latencyMs = ((await c.req.json()) as { ms: number }).ms;
    return c.body(null, 204);
  });
  app.put('/__bench/fail', async (c) => {
    failing = ((await c.req.json()) as { fail: boolean }).fail;
    return c.body(null, 204);
  });
  app.use('*', async (c, next) => {
    count++;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (failing) return c.json({ error: 'injected failure' }, 500);
    await next();
    // The recorder is for tests; a benchmark would only grow it.
    mocks.state.calls.length = 0;
  });
  app.route('/', mocks.apps[service]);
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started as Server));
  });
  servers.push(server);
  urls[service] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
process.stdout.write(`${JSON.stringify({ urls })}\n`);
process.on('SIGTERM', () => {
  for (const server of servers) server.closeAllConnections();
  process.exit(0);
});

/** Ten products never out of stock (ids 1..13, none beyond 8 needing a prescription); Ana's 20 x 5 purchases. */
function growSeed(data: MockData): void {
  const template = data.productos.items[0] as MockData['productos']['items'][number];
  for (let id = 9; id <= 13; id++) {
    data.productos.items.push({ ...template, id, nombre: `Producto de prueba ${id}`, requiere_receta: false });
  }
  for (const product of data.productos.items) product.stock = 1_000_000_000;
  const tenProducts = [1, 2, 4, 5, 7, 9, 10, 11, 12, 13];
  const others = data.usuarios.compras.filter((compra) => compra.usuarioId !== SEED_USER_IDS.ana);
  const anas = Array.from({ length: 20 }, (_, index) => ({
    id: 1000 + index,
    fechaCompra: `2025-10-${String((index % 28) + 1).padStart(2, '0')}T12:00:00.000000`,
    usuarioId: SEED_USER_IDS.ana,
    productos: Array.from({ length: 5 }, (_, line) => tenProducts[(index + line * 2) % 10] as number),
    cantidades: [1, 2, 3, 1, 2],
  }));
  data.usuarios.compras = [...others, ...anas];
}


