// The layer boundaries of src/ are lint errors (eslint.config.js, docs/architecture.md). Each case
// plants one violation in a file that does not exist, lints it with the project's own config and
// expects exactly that boundary's rule to fire; the same files written the allowed way lint clean.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-properties']);

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT, overrideConfigFile: 'eslint.config.js' });
});

/** Every message ESLint has for `code` as if it were the file at `path` (relative to the root). */
async function lint(path: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  if (!result) throw new Error(`no lint result for ${path}`);
  return result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

async function expectBoundaryError(path: string, code: string, message: RegExp) {
  const messages = await lint(path, code);
  const boundary = messages.filter((entry) => entry.ruleId !== null && BOUNDARY_RULES.has(entry.ruleId));
  expect(boundary, `${path}:\n${code}`).toHaveLength(1);
  expect(boundary[0]?.message).toMatch(message);
}

describe('src/domain/ imports no framework, HTTP client, breaker, logger or Redis client', () => {
  it.each([
    ["import { Hono } from 'hono';", 'new Hono()'],
    ["import { HTTPException } from 'hono/http-exception';", 'new HTTPException(400)'],
    ["import { z } from '@hono/zod-openapi';", 'z.string()'],
    ["import ky from 'ky';", 'ky.create({})'],
    ["import { Pool } from 'undici';", "new Pool('http://x')"],
    ["import CircuitBreaker from 'opossum';", 'new CircuitBreaker(async () => 1)'],
    ["import pino from 'pino';", 'pino()'],
    ["import Redis from 'ioredis';", 'new Redis()'],
  ])('%s', async (importLine, use) => {
    await expectBoundaryError(
      'src/domain/purchases/planted.ts',
      `${importLine}\nexport const planted = ${use};\n`,
      /src\/domain\/ imports no framework/,
    );
  });

  it('nor the upstream call machinery (upstreams/http), only the clients’ interfaces and types', async () => {
    await expectBoundaryError(
      'src/domain/purchases/planted.ts',
      "import type { CallContext } from '../../upstreams/http/call-context.js';\nexport const planted = (ctx: CallContext) => ctx;\n",
      /not the call machinery/,
    );
  });

  it('nor an upstream’s wire-format schema (the client translates error bodies)', async () => {
    await expectBoundaryError(
      'src/domain/invoices/planted.ts',
      "import { IntakeAnswerSchema } from '../../upstreams/facturas/facturas-client.js';\nexport const planted = IntakeAnswerSchema.parse({});\n",
      /never reads an upstream.s wire format/,
    );
  });

  it('nor the HTTP layer above it', async () => {
    await expectBoundaryError(
      'src/domain/planted.ts',
      "import { toGatewayError } from '../http/error-mapping.js';\nexport const planted = toGatewayError(1);\n",
      /does not reach up into the HTTP layer/,
    );
  });
});

describe('src/routes/ calls use-cases, never an upstream client', () => {
  it.each([
    "import { createProductsClient } from '../../upstreams/productos/productos-client.js';\nexport const planted = createProductsClient;\n",
    "import type { Product } from '../../upstreams/productos/productos-client.js';\nexport const planted = (p: Product) => p;\n",
  ])('%s', async (code) => {
    await expectBoundaryError('src/routes/purchases/planted.ts', code, /src\/routes\/ calls the use-cases/);
  });
});

describe('src/upstreams/ does not import src/domain/', () => {
  it.each([
    "import type { HealthStatus } from '../../domain/health.js';\nexport const planted = (h: HealthStatus) => h;\n",
    "import { stockLockTimeout } from '../../domain/ports/stock-locks.js';\nexport const planted = stockLockTimeout();\n",
  ])('%s', async (code) => {
    await expectBoundaryError('src/upstreams/http/planted.ts', code, /src\/upstreams\/ does not import src\/domain\//);
  });
});

describe('only src/config/ reads process.env', () => {
  it.each(['src/http/planted.ts', 'src/domain/planted.ts', 'src/main-planted.ts', 'src/server/planted.ts'])('%s', async (path) => {
    await expectBoundaryError(path, "export const planted = process.env.PORT;\n", /Only src\/config\/ reads the environment/);
  });

  it('also through an import of env', async () => {
    await expectBoundaryError(
      'src/observability/planted.ts',
      "import { env } from 'node:process';\nexport const planted = env.PORT;\n",
      /Only src\/config\/ reads the environment/,
    );
  });

  it.each(['src/config/planted.ts', 'scripts/planted.ts', 'bench/planted.ts', 'test/purchases/planted.ts', 'mocks/planted.ts'])(
    '%s may',
    async (path) => {
      expect(await lint(path, 'export const planted = process.env.PORT;\n')).toEqual([]);
    },
  );
});

describe('the same files written the allowed way lint clean', () => {
  it.each([
    [
      'src/domain/purchases/planted.ts',
      "import type { Product, ProductsClient } from '../../upstreams/productos/productos-client.js';\n" +
        "import { GatewayError } from '../../errors/gateway-error.js';\n" +
        "import type { StockLocks } from '../ports/stock-locks.js';\n" +
        "import { createHash } from 'node:crypto';\n" +
        'export const planted = (p: Product, c: ProductsClient, l: StockLocks) => [p, c, l, new GatewayError(\'INTERNAL\'), createHash(\'sha256\')];\n',
    ],
    [
      'src/routes/purchases/planted.ts',
      "import { OpenAPIHono } from '@hono/zod-openapi';\n" +
        "import type { RegisterPurchaseDeps } from '../../domain/purchases/register-purchase.js';\n" +
        'export const planted = (r: RegisterPurchaseDeps) => [r, new OpenAPIHono()];\n',
    ],
    [
      'src/upstreams/productos/planted.ts',
      "import ky from 'ky';\n" +
        "import { UpstreamError } from '../../errors/upstream-error.js';\n" +
        "import type { CallContext } from '../http/call-context.js';\n" +
        "export const planted = (ctx: CallContext) => [ctx, ky, new UpstreamError('productos', 'timeout')];\n",
    ],
    ['src/config/planted.ts', "import { existsSync } from 'node:fs';\nexport const planted = existsSync('.env') ? process.env.PORT : undefined;\n"],
  ])('%s', async (path, code) => {
    expect(await lint(path, code)).toEqual([]);
  });
});
