import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

/**
 * Baselines measured in the same run as the gateway, as their own process:
 * - GET /health: a bare node:http server answering the health JSON (the framework ceiling);
 * - GET /direct/tasks and GET /direct/compras-me: the same upstream calls as the gateway, made
 *   directly with the same client and no framework, validation or auth (gateway overhead);
 * - POST /direct/compras: the gateway's purchase round trips with nothing else;
 * - POST /naive/compras: the purchase done one call after another, as a simple implementation would.
 */
const urls = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const pools = Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, new Pool(url, { connections: 128 })]));
const HEALTH = JSON.stringify({ status: 'healthy', service: 'orchestrator', message: 'Orchestrator is running' });

async function call(service: string, method: string, path: string, authorization?: string, body?: unknown) {
  const response = await (pools[service] as Pool).request({
    method: method as 'GET',
    path,
    headers: {
      accept: 'application/json',
      ...(authorization ? { authorization } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return JSON.parse(await response.body.text()) as unknown;
}

type Purchase = { productos: number[]; cantidades: number[] };
type Product = { id: number; stock: number; nombre: string; precio: number; tipo: string };

const routes: Record<string, (req: IncomingMessage, body: string) => Promise<[number, unknown]>> = {
  'GET /direct/tasks': async (req) => [200, await call('tareas', 'GET', '/integration-tasks/get_tasks/', req.headers.authorization)],
  'GET /direct/compras-me': async (req) => {
    const compras = (await call('usuarios', 'GET', '/api/compras/me', req.headers.authorization)) as Purchase[];
    const ids = [...new Set(compras.flatMap((compra) => compra.productos))];
    const products = new Map(
      await Promise.all(ids.map(async (id) => [id, (await call('productos', 'GET', `/api/productos/${id}`)) as Product] as const)),
    );
    return [200, { compras: compras.map((compra) => ({ ...compra, productos_detalle: compra.productos.map((id) => products.get(id)) })) }];
  },
  'POST /direct/compras': async (req, body) => {
    // The gateway's three round trips (reads in parallel, writes in parallel, one registration)
    // with nothing else: no locks, validation, auth or framework.
    const lines = (JSON.parse(body) as { productos: Array<{ producto_id: number; cantidad: number }> }).productos;
    const [products] = await Promise.all([
      Promise.all(lines.map(async (line) => (await call('productos', 'GET', `/api/productos/${line.producto_id}`)) as Product)),
      call('recetas', 'GET', `/api/recetas/filter?dni=71234567&estado=validada&page=1&pagesize=100`),
    ]);
    await Promise.all(
      lines.map((line, index) =>
        call('productos', 'PUT', `/api/productos/${line.producto_id}`, undefined, { stock: (products[index] as Product).stock - line.cantidad }),
      ),
    );
    const registered = await call('usuarios', 'POST', '/api/compras', req.headers.authorization, {
      usuarioId: null,
      productos: lines.map((line) => line.producto_id),
      cantidades: lines.map((line) => line.cantidad),
    });
    return [201, registered];
  },
  'POST /naive/compras': async (req, body) => {
    const lines = (JSON.parse(body) as { productos: Array<{ producto_id: number; cantidad: number }> }).productos;
    const products: Product[] = [];
    for (const line of lines) products.push((await call('productos', 'GET', `/api/productos/${line.producto_id}`)) as Product);
    await call('recetas', 'GET', `/api/recetas/filter?dni=71234567&estado=validada&page=1&pagesize=100`);
    for (const [index, line] of lines.entries()) {
      const product = products[index] as Product;
      await call('productos', 'PUT', `/api/productos/${line.producto_id}`, undefined, { stock: product.stock - line.cantidad });
    }
    const registered = await call('usuarios', 'POST', '/api/compras', req.headers.authorization, {
      usuarioId: null,
      productos: lines.map((line) => line.producto_id),
      cantidades: lines.map((line) => line.cantidad),
    });
    return [201, registered];
  },
};

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(HEALTH);
    return;
  }
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const route = routes[`${req.method} ${req.url}`];
    if (!route) return void res.writeHead(404).end();
    route(req, body).then(
      ([status, payload]) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload)),
      () => res.writeHead(502).end(),
    );
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
