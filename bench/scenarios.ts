import { randomUUID } from 'node:crypto';
import { BENCH_PRODUCTS } from './bench-data.js';

/**
 * V8 flags that trade CPU for memory (docs/operations.md, "Memory"): the old generation grows to
 * 1.25x what survived the last full collection instead of up to 4x, and the young generation
 * stays at its initial size.
 */
export const LEAN_HEAP_FLAGS = ['--heap-growing-percent=25', '--semi-space-growth-factor=1'];

export type Target =
  | 'gateway'
  | 'gateway-cluster'
  | 'gateway-fresh'
  | 'gateway-fresh-lean'
  | 'gateway-redis'
  | 'gateway-redis-3'
  | 'gateway-nobatch'
  | 'gateway-redis-nobatch'
  | 'baseline';

export interface Scenario {
  name: string;
  target: Target;
  /** Added latency of every upstream call, ms. */
  latencyMs: number;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  token?: 'cliente' | 'admin';
  body?: unknown;
  /** A fresh Idempotency-Key per request. */
  uniqueKey?: boolean;
  connections: number;
  /** Makes this service fail and opens its breaker before measuring. */
  openBreaker?: 'recetas' | 'productos';
}

const lines = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ producto_id: BENCH_PRODUCTS[index % BENCH_PRODUCTS.length], cantidad: 1 }));

const invoices = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    numero_factura: `F-${index + 1}`,
    rut_cliente: '11.111.111-1',
    monto: 1500.5,
    fecha_emision: '2025-08-24',
  }));

const PRESCRIPTION = '6717a1b2c3d4e5f60123456a';

/** The suite: latency-bound scenarios at L, throughput ceilings at L = 0. */
export function scenarios(latencyMs: number): Scenario[] {
  const L = latencyMs;
  return [
    { name: 'health: bare node:http', target: 'baseline', latencyMs: 0, method: 'GET', path: '/health', connections: 50 },
    { name: 'health: gateway', target: 'gateway', latencyMs: 0, method: 'GET', path: '/api/orchestrator/health', connections: 50 },
    { name: 'health: gateway, 2 workers', target: 'gateway-cluster', latencyMs: 0, method: 'GET', path: '/api/orchestrator/health', connections: 50 },
    { name: '1 forwarded call: direct', target: 'baseline', latencyMs: 0, method: 'GET', path: '/direct/tasks', token: 'cliente', connections: 10 },
    { name: '1 forwarded call: gateway', target: 'gateway', latencyMs: 0, method: 'GET', path: '/api/orchestrator/integration-tasks', token: 'cliente', connections: 10 },
    { name: 'compras/me: direct', target: 'baseline', latencyMs: L, method: 'GET', path: '/direct/compras-me', token: 'cliente', connections: 10 },
    { name: 'compras/me: gateway', target: 'gateway', latencyMs: L, method: 'GET', path: '/api/orchestrator/compras/me', token: 'cliente', connections: 10 },
    // A process of its own: peak RSS then measures this load, not what earlier scenarios left.
    { name: 'compras/me: gateway, 200 connections', target: 'gateway-fresh', latencyMs: L, method: 'GET', path: '/api/orchestrator/compras/me', token: 'cliente', connections: 200 },
    // The same in a process started with LEAN_HEAP_FLAGS: less memory for more GC work.
    { name: 'compras/me: gateway, 200 connections, lean heap flags', target: 'gateway-fresh-lean', latencyMs: L, method: 'GET', path: '/api/orchestrator/compras/me', token: 'cliente', connections: 200 },
    { name: 'compras/me: gateway, 2 workers', target: 'gateway-cluster', latencyMs: L, method: 'GET', path: '/api/orchestrator/compras/me', token: 'cliente', connections: 10 },
    // Purchases of the same products serialise on the per-product stock lock, so latency is
    // measured with one connection, and contention separately.
    { name: 'POST /compras 1 line: gateway', target: 'gateway', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(1) }, connections: 1 },
    { name: 'POST /compras 10 lines: direct', target: 'baseline', latencyMs: L, method: 'POST', path: '/direct/compras', token: 'cliente', body: { productos: lines(10) }, connections: 1 },
    { name: 'POST /compras 10 lines: naive sequential', target: 'baseline', latencyMs: L, method: 'POST', path: '/naive/compras', token: 'cliente', body: { productos: lines(10) }, connections: 1 },
    { name: 'POST /compras 10 lines: gateway', target: 'gateway', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(10) }, connections: 1 },
    { name: 'POST /compras 10 lines: gateway, 10 buyers of the same products', target: 'gateway', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(10) }, connections: 10 },
    // The shared store: the same purchases with REDIS_URL (locks and records in Redis), in one
    // process and in three (WORKERS=3) sharing it.
    { name: 'POST /compras 1 line: gateway, redis store', target: 'gateway-redis', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(1) }, connections: 1 },
    { name: 'POST /compras 1 line: gateway, redis store, keyed', target: 'gateway-redis', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(1) }, uniqueKey: true, connections: 1 },
    { name: 'POST /compras 1 line: gateway, keyed', target: 'gateway', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(1) }, uniqueKey: true, connections: 1 },
    { name: 'POST /compras 10 lines: 3 processes, redis store, 10 buyers of the same products', target: 'gateway-redis-3', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(10) }, connections: 10 },
    // A hot product: buyers of one product, one line each (group commit on and off, both stores).
    { name: 'hot product, 1 buyer: gateway', target: 'gateway', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(1) }, connections: 1 },
    { name: 'hot product, 16 buyers: gateway, no batching', target: 'gateway-nobatch', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(1) }, connections: 16 },
    { name: 'hot product, 16 buyers: gateway', target: 'gateway', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(1) }, connections: 16 },
    { name: 'hot product, 16 buyers: gateway, redis store, no batching', target: 'gateway-redis-nobatch', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(1) }, connections: 16 },
    { name: 'hot product, 16 buyers: gateway, redis store', target: 'gateway-redis', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(1) }, connections: 16 },
    { name: 'PUT /recetas/estado VALIDADA: gateway', target: 'gateway', latencyMs: L, method: 'PUT', path: `/api/orchestrator/recetas/estado/${PRESCRIPTION}`, token: 'cliente', body: { estadovalidacion: 'VALIDADA' }, connections: 10 },
    { name: 'POST /facturas 100 invoices: gateway', target: 'gateway', latencyMs: L, method: 'POST', path: '/api/orchestrator/facturas', token: 'cliente', body: invoices(100), uniqueKey: true, connections: 10 },
    { name: 'breaker open: gateway', target: 'gateway', latencyMs: L, method: 'PUT', path: `/api/orchestrator/recetas/estado/${PRESCRIPTION}`, token: 'cliente', body: { estadovalidacion: 'VALIDADA' }, connections: 10, openBreaker: 'recetas' },
    { name: 'breaker open (productos): POST /compras', target: 'gateway', latencyMs: L, method: 'POST', path: '/api/orchestrator/compras', token: 'cliente', body: { productos: lines(1) }, connections: 10, openBreaker: 'productos' },
  ];
}

export const idempotencyKey = () => randomUUID();
