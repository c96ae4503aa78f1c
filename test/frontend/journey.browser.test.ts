// The web frontend's journey through the gateway alone, over real sockets and across origins:
// log in with a DNI and a password, search the catalogue, upload a prescription PDF, validate it,
// buy the prescription-only product it lists, and see the purchase with its product details.
//
// Twice: once as Node's fetch playing the browser (every CORS preflight sent and checked, every
// answer checked for Access-Control-Allow-Origin), and once in headless Chromium, from a tiny page
// of this test's own served on another port: a real cross-origin page whose script makes the
// same calls with fetch and reports what it saw. The requests have the shapes the existing web
// frontend sends (its bodies, its multipart fields), but none of its code is here.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_CMP, SEED_DNI, SEED_PASSWORDS, SEED_PRODUCT_IDS, samplePrescriptionPdf } from '../../mocks/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { LogCapture } from '../helpers/harness.js';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';

/** Vite's default dev-server origin, where the web frontend runs in development. */
const FRONTEND_ORIGIN = 'http://localhost:5173';

/** Pedro has no prescription and no purchase in the seed: the journey's prescription is his only one. */
const PEDRO = { dni: SEED_DNI.pedro, password: SEED_PASSWORDS.pedro };
const AMOXICILINA = { id: SEED_PRODUCT_IDS.amoxicilina, nombre: 'Amoxicilina 500mg' };
const today = () => new Date().toISOString().slice(0, 10);

/** The prescription Pedro photographs at home: his DNI, a registered doctor, today, one box of amoxicillin. */
const journeyPdf = () =>
  samplePrescriptionPdf({
    dni: PEDRO.dni,
    cmp: SEED_CMP.rosaSalas,
    fecha: today(),
    productos: [{ ...AMOXICILINA, cantidad: 1 }],
  });

let sut: GatewayUnderTest;
let api: string;
let page: StaticPage;
const logs = new LogCapture();

beforeAll(async () => {
  // The page's server first: its origin is allowed next to the frontend's dev server.
  page = await startStaticPage();
  sut = await startGatewayUnderTest(
    { CORS_ORIGINS: `${FRONTEND_ORIGIN},${page.origin}`, LOGINS_PER_MINUTE_PER_ADDRESS: '10' },
    { logger: createLogger('info', logs) },
  );
  api = `${sut.url}/api/orchestrator`;
  page.configure({ api, dni: PEDRO.dni, password: PEDRO.password, cmp: SEED_CMP.rosaSalas, fecha: today() });
});

afterAll(async () => {
  await sut?.close();
  await page?.close();
});

beforeEach(async () => {
  await sut.resetMocks();
  logs.lines.length = 0;
});

// ---------------------------------------------------------------------------------------------
// Node's fetch playing the browser.

interface BrowserCall {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  token?: string;
  json?: unknown;
  form?: FormData;
}

/** The request headers a browser names in Access-Control-Request-Headers for this call. */
function nonSimpleHeaders(call: BrowserCall): string[] {
  const headers: string[] = [];
  if (call.token) headers.push('authorization');
  // multipart/form-data is a CORS-safelisted type; application/json is not.
  if (call.json !== undefined) headers.push('content-type');
  return headers;
}

/** The preflight a browser sends before the call, checked as the browser checks it. */
async function expectPreflightAllows(call: BrowserCall) {
  const requested = nonSimpleHeaders(call);
  const res = await fetch(`${api}${call.path}`, {
    method: 'OPTIONS',
    headers: {
      origin: FRONTEND_ORIGIN,
      'access-control-request-method': call.method,
      ...(requested.length > 0 ? { 'access-control-request-headers': requested.join(',') } : {}),
    },
  });
  expect(res.status, `preflight of ${call.method} ${call.path}`).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND_ORIGIN);
  const methods = (res.headers.get('access-control-allow-methods') ?? '').split(',').map((m) => m.trim());
  expect(methods).toContain(call.method);
  const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',').map((h) => h.trim());
  for (const header of requested) expect(allowed, `preflight of ${call.method} ${call.path}`).toContain(header);
}

/** Preflight, then the call from the frontend's origin; the answer must be readable there. */
async function fromFrontend<T = Record<string, unknown>>(call: BrowserCall) {
  await expectPreflightAllows(call);
  const headers: Record<string, string> = { origin: FRONTEND_ORIGIN };
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  let body: FormData | string | undefined = call.form;
  if (call.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.json);
  }
  const res = await fetch(`${api}${call.path}`, { method: call.method, headers, body });
  expect(res.headers.get('access-control-allow-origin'), `${call.method} ${call.path}`).toBe(FRONTEND_ORIGIN);
  // What the frontend's script may read beyond the simple headers.
  const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
  expect(exposed).toContain('x-request-id');
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

interface Product { id: number; nombre: string; requiere_receta: boolean }
interface Receta { _id: string; pacienteDNI: string; medicoCMP: string; estadoValidacion: string; productos: Array<{ id: number; cantidad: number }> }
interface Compra { id: number; productos: number[]; cantidades: number[]; productos_detalle: Array<{ producto_id: number; nombre?: string; cantidad: number }> }

describe('the web frontend journey through the one origin (Node fetch as the browser)', () => {
  it('logs in, searches, uploads and validates a prescription, buys with it and lists the purchase', async () => {
    // 1. Log in with a DNI and a password (open to anyone).
    const login = await fromFrontend<{ token: string }>({ method: 'POST', path: '/auth/login', json: PEDRO });
    expect(login.status).toBe(200);
    const token = login.body.token;
    expect(token).toMatch(/^ey/);

    const profile = await fromFrontend<{ dni: string }>({ method: 'GET', path: '/user/me', token });
    expect(profile.status).toBe(200);
    expect(profile.body.dni).toBe(PEDRO.dni);

    // 2. Search the catalogue as the search page does (no token: a simple request).
    const search = await fromFrontend<{ productos: Product[] }>({ method: 'GET', path: '/productos/nombre?nombre=amoxi&page=1&pagesize=25' });
    expect(search.status).toBe(200);
    const product = search.body.productos.find((candidate) => candidate.requiere_receta);
    expect(product).toMatchObject({ id: AMOXICILINA.id, nombre: AMOXICILINA.nombre, requiere_receta: true });

    // Without a prescription, the prescription-only product cannot be bought (and the refusal is readable cross-origin).
    const purchase = { productos: [AMOXICILINA.id], cantidades: [1], datos_adicionales: { metodo_pago: 'tarjeta', dni: PEDRO.dni } };
    const refused = await fromFrontend<{ code: string }>({ method: 'POST', path: '/compras', token, json: purchase });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('PRESCRIPTION_REQUIRED');

    // 3. Upload the prescription PDF with the fields the frontend's prescription page sends.
    const form = new FormData();
    form.append('archivoPDF', new Blob([new Uint8Array(journeyPdf())], { type: 'application/pdf' }), 'receta-pedro.pdf');
    form.append('fechaEmision', today());
    form.append('medicoCMP', SEED_CMP.rosaSalas);
    form.append('pacienteDNI', PEDRO.dni);
    form.append('productos', JSON.stringify([{ ...AMOXICILINA, cantidad: 1 }]));
    const uploaded = await fromFrontend<{ mensaje: string; receta: Receta }>({ method: 'POST', path: '/recetas/upload', token, form });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.receta).toMatchObject({ pacienteDNI: PEDRO.dni, medicoCMP: SEED_CMP.rosaSalas, estadoValidacion: 'pendiente' });
    const recetaId = uploaded.body.receta._id;

    const pending = await fromFrontend<Receta>({ method: 'GET', path: `/recetas/${recetaId}`, token });
    expect(pending.status).toBe(200);
    expect(pending.body.estadoValidacion).toBe('pendiente');

    // 4. Validate it (the frontend's body is ignored); the gateway checks doctor, products, patient and date.
    const validated = await fromFrontend<{ receta: Receta; validaciones: Record<string, unknown> }>({
      method: 'PUT',
      path: `/recetas/validar/${recetaId}`,
      token,
      json: { estado: 'validada', datos_adicionales: { dni: PEDRO.dni } },
    });
    expect(validated.status).toBe(200);
    expect(validated.body.receta.estadoValidacion).toBe('validada');
    expect(validated.body.validaciones).toMatchObject({ medico_valido: true, paciente_valido: true, productos_validados: 1 });

    // The frontend polls the prescription until it leaves pendiente.
    const polled = await fromFrontend<Receta>({ method: 'GET', path: `/recetas/${recetaId}`, token });
    expect(polled.body.estadoValidacion).toBe('validada');

    // 5. Buy it, with the body the frontend's checkout sends.
    const bought = await fromFrontend<Compra & { total: number }>({ method: 'POST', path: '/compras', token, json: purchase });
    expect(bought.status).toBe(201);
    expect(bought.body).toMatchObject({ productos: [AMOXICILINA.id], cantidades: [1] });

    // 6. The profile page lists the purchase with its product details.
    const mine = await fromFrontend<{ compras: Compra[] }>({ method: 'GET', path: '/compras/me', token });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('x-gateway-completed')).toBe('true');
    const listed = mine.body.compras.find((compra) => compra.id === bought.body.id);
    expect(listed?.productos_detalle).toEqual([expect.objectContaining({ producto_id: AMOXICILINA.id, nombre: AMOXICILINA.nombre, cantidad: 1 })]);

    // The prescription is used up: a second box needs a new one.
    const again = await fromFrontend<{ code: string }>({ method: 'POST', path: '/compras', token, json: purchase });
    expect(again.status).toBe(422);
  });

  it('gives an origin outside CORS_ORIGINS no Access-Control-Allow-Origin: its browser cannot read the answer', async () => {
    const preflight = await fetch(`${api}/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const search = await fetch(`${api}/productos/nombre?nombre=amoxi`, { headers: { origin: 'http://evil.example' } });
    expect(search.status).toBe(200);
    expect(search.headers.get('access-control-allow-origin')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Headless Chromium, from a page on another origin.

describe(
  'the journey in headless Chromium, from a page on another origin',
  () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('runs the whole journey with fetch, every answer readable cross-origin', async () => {
      expect(new URL(page.origin).port).not.toBe(new URL(sut.url).port);
      const context = await browser.newContext();
      const hosts = new Set<string>();
      const consoleErrors: string[] = [];
      context.on('request', (request) => hosts.add(new URL(request.url()).origin));
      try {
        const tab = await context.newPage();
        tab.on('console', (message) => {
          if (message.type() === 'error') consoleErrors.push(message.text());
        });
        await tab.goto(`${page.origin}/journey.html`, { waitUntil: 'load', timeout: 20_000 });
        await tab.locator('#result[data-status]').waitFor({ state: 'attached', timeout: 30_000 });
        const report = JSON.parse((await tab.locator('#result').textContent()) ?? '{}') as JourneyReport;
        expect(report.error, JSON.stringify(report)).toBeUndefined();
        expect(report.ok).toBe(true);
        expect(report.steps.map((step) => `${step.call} ${step.status}`)).toEqual([
          'POST /auth/login 200',
          'GET /productos/nombre 200',
          'POST /recetas/upload 201',
          'PUT /recetas/validar/{id} 200',
          'GET /recetas/{id} 200',
          'POST /compras 201',
          'GET /compras/me 200',
        ]);
        // The exposed headers are readable from the page's script.
        for (const step of report.steps) expect(step.requestId, step.call).toMatch(/\S/);
        expect(report.completed).toBe('true');
        expect(report.estado).toBe('validada');
        expect(report.listed).toEqual([expect.objectContaining({ producto_id: AMOXICILINA.id, nombre: AMOXICILINA.nombre, cantidad: 1 })]);
        expect(consoleErrors).toEqual([]);
        // Only the page's own server and the gateway were asked anything.
        expect([...hosts].sort()).toEqual([page.origin, sut.url].sort());
      } finally {
        await context.close();
      }

      // The browser did preflight its non-simple calls, and the gateway answered each one.
      const preflights = logs
        .entries()
        .filter((line) => line.msg === 'request' && line.method === 'OPTIONS')
        .map((line) => ({ path: String(line.path), status: line.status }));
      const preflighted = (path: RegExp) => preflights.some((line) => path.test(line.path) && line.status === 204);
      for (const path of [/\/auth\/login$/, /\/recetas\/upload$/, /\/recetas\/validar\/[0-9a-f]{24}$/, /\/compras$/, /\/compras\/me$/]) {
        expect(preflighted(path), `a preflight of ${path}: ${JSON.stringify(preflights)}`).toBe(true);
      }
    }, 90_000);
  },
);

// ---------------------------------------------------------------------------------------------
// The page: a throwaway node:http server on its own port serving one HTML page (with its script
// inline) and the prescription PDF the page uploads.

interface JourneyConfig { api: string; dni: string; password: string; cmp: string; fecha: string }
interface JourneyReport {
  ok: boolean;
  error?: string;
  steps: Array<{ call: string; status: number; requestId: string | null }>;
  estado?: string;
  completed?: string | null;
  listed?: unknown;
}

interface StaticPage {
  origin: string;
  configure(config: JourneyConfig): void;
  close(): Promise<void>;
}

async function startStaticPage(): Promise<StaticPage> {
  let config: JourneyConfig | undefined;
  const server: Server = createServer((req, res) => {
    if (req.url === '/journey.html' && config) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(journeyHtml(config));
    } else if (req.url === '/receta.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'cache-control': 'no-store' });
      res.end(journeyPdf());
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    configure: (next) => {
      config = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The page. Its script is plain browser JavaScript, run by Chromium, never by Node. */
function journeyHtml(config: JourneyConfig): string {
  const script = String.raw`
const config = JSON.parse(document.getElementById('config').textContent);
const steps = [];

async function call(label, method, path, options = {}) {
  const headers = {};
  let body;
  if (options.token) headers['Authorization'] = 'Bearer ' + options.token;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  if (options.form) body = options.form;
  const res = await fetch(config.api + path, { method, headers, body });
  const data = await res.json();
  steps.push({ call: label, status: res.status, requestId: res.headers.get('X-Request-Id') });
  return { status: res.status, data, headers: res.headers };
}

async function journey() {
  const login = await call('POST /auth/login', 'POST', '/auth/login', { json: { dni: config.dni, password: config.password } });
  if (login.status !== 200) throw new Error('login answered ' + login.status);
  const token = login.data.token;

  const search = await call('GET /productos/nombre', 'GET', '/productos/nombre?nombre=' + encodeURIComponent('amoxi') + '&page=1&pagesize=25');
  const product = search.data.productos.find((p) => p.requiere_receta);
  if (!product) throw new Error('no prescription-only product found');

  const pdf = await (await fetch('/receta.pdf')).blob();
  const form = new FormData();
  form.append('archivoPDF', new File([pdf], 'receta.pdf', { type: 'application/pdf' }));
  form.append('fechaEmision', config.fecha);
  form.append('medicoCMP', config.cmp);
  form.append('pacienteDNI', config.dni);
  form.append('productos', JSON.stringify([{ id: product.id, nombre: product.nombre, cantidad: 1 }]));
  const uploaded = await call('POST /recetas/upload', 'POST', '/recetas/upload', { token, form });
  if (uploaded.status !== 201) throw new Error('upload answered ' + uploaded.status + ' ' + JSON.stringify(uploaded.data));
  const recetaId = uploaded.data.receta._id;

  const validated = await call('PUT /recetas/validar/{id}', 'PUT', '/recetas/validar/' + encodeURIComponent(recetaId), {
    token,
    json: { estado: 'validada', datos_adicionales: { dni: config.dni } },
  });
  if (validated.status !== 200) throw new Error('validation answered ' + validated.status + ' ' + JSON.stringify(validated.data));
  const receta = await call('GET /recetas/{id}', 'GET', '/recetas/' + encodeURIComponent(recetaId), { token });

  const bought = await call('POST /compras', 'POST', '/compras', {
    token,
    json: { productos: [product.id], cantidades: [1], datos_adicionales: { metodo_pago: 'tarjeta', dni: config.dni } },
  });
  if (bought.status !== 201) throw new Error('purchase answered ' + bought.status + ' ' + JSON.stringify(bought.data));

  const mine = await call('GET /compras/me', 'GET', '/compras/me', { token });
  const listed = mine.data.compras.find((compra) => compra.id === bought.data.id);
  return { estado: receta.data.estadoValidacion, completed: mine.headers.get('X-Gateway-Completed'), listed: listed ? listed.productos_detalle : null };
}

function report(result) {
  const out = document.getElementById('result');
  out.textContent = JSON.stringify(Object.assign({ steps }, result));
  out.setAttribute('data-status', result.ok ? 'ok' : 'failed');
}

journey().then(
  (result) => report(Object.assign({ ok: true }, result)),
  (error) => report({ ok: false, error: String(error && error.stack || error) }),
);
`;
  // `<` escaped so the JSON cannot close the script element.
  const json = JSON.stringify(config).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html lang="es">
<head><meta charset="utf-8"><title>botica: frontend journey</title></head>
<body>
<pre id="result"></pre>
<script type="application/json" id="config">${json}</script>
<script type="module">${script}</script>
</body>
</html>
`;
}
