// Swagger UI works offline: headless Chromium (Debian's package, driven by playwright-core) opens
// /api/docs, sees every documented operation listed (a padlock on exactly the bearer-secured ones:
// login, register and the catalogue show none), and no request leaves the gateway's host.
// Skipped with a clear title when /usr/bin/chromium is not installed (.ci/run installs it).
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';
import { documentedOperations, loadCommittedDocument } from '../helpers/openapi-shapes.js';

const title = 'Swagger UI in headless Chromium';
/** A name that is not localhost: Chromium maps it to 127.0.0.1 itself, no DNS involved. */
const NAMED_HOST = 'botica-gateway.test';
/** A page visit takes ~5 s on 2 busy cores; leave room when the whole suite runs in parallel. */
const BROWSER_TIMEOUT_MS = 60_000;

interface PageVisit {
  /** `METHOD /path` of every operation block Swagger UI rendered. */
  operations: string[];
  /** Those of them shown with a padlock (an authorization button): the secured ones. */
  locked: string[];
  /** Every URL the browser requested (page, scripts, images, fetches), in order. */
  requests: string[];
}

describe(
  title,
  () => {
    let sut: GatewayUnderTest;
    let browser: Browser;
    let port: string;

    beforeAll(async () => {
      sut = await startGatewayUnderTest();
      port = new URL(sut.url).port;
      browser = await launchChromium([`--host-resolver-rules=MAP ${NAMED_HOST} 127.0.0.1`]);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await sut?.close();
    });

    async function visit(docsUrl: string): Promise<PageVisit> {
      const context: BrowserContext = await browser.newContext();
      const requests: string[] = [];
      context.on('request', (request) => requests.push(request.url()));
      try {
        const page = await context.newPage();
        const response = await page.goto(docsUrl, { waitUntil: 'load', timeout: 20_000 });
        expect(response?.status()).toBe(200);
        await page.locator('.opblock').first().waitFor({ state: 'visible', timeout: 20_000 });
        // Let the UI settle: images (such as a validator badge) are requested after the first render.
        await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
        const blocks = await page.locator('.opblock .opblock-summary').evaluateAll((summaries) =>
          summaries.map((block) => {
            const method = block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '?';
            const path = block.querySelector('[data-path]')?.getAttribute('data-path') ?? '?';
            return { operation: `${method.toUpperCase()} ${path}`, locked: block.querySelector('.authorization__btn') !== null };
          }),
        );
        return {
          operations: blocks.map((block) => block.operation),
          locked: blocks.filter((block) => block.locked).map((block) => block.operation),
          requests,
        };
      } finally {
        await context.close();
      }
    }

    /** `METHOD /path` of every operation the document secures with a scheme. */
    const bearerOperations = (document: ReturnType<typeof loadCommittedDocument>) =>
      documentedOperations(document).filter((operation) => {
        const [method, path] = operation.split(' ') as [string, string];
        const security = (document.paths[path]?.[method.toLowerCase()] as { security?: unknown[] } | undefined)?.security;
        return (security ?? []).length > 0;
      });

    const foreign = (requests: string[], ownHost: string) =>
      requests.filter((url) => !url.startsWith('data:') && new URL(url).hostname !== ownHost);

    it('lists every documented operation at /api/docs, with no request to another host', async () => {
      const { operations, locked, requests } = await visit(`http://127.0.0.1:${port}/api/docs`);
      expect(operations).toContain('POST /api/orchestrator/compras');
      expect(operations).toEqual(expect.arrayContaining(['POST /api/orchestrator/auth/login', 'POST /api/orchestrator/recetas/upload']));
      const document = loadCommittedDocument();
      expect([...operations].sort()).toEqual(documentedOperations(document).sort());
      // The padlock follows the document: every bearer operation has one, the open ones none.
      expect([...locked].sort()).toEqual(bearerOperations(document).sort());
      expect(locked).not.toContain('POST /api/orchestrator/auth/login');
      expect(locked).not.toContain('GET /api/orchestrator/productos/{id}');
      expect(requests).toEqual(
        expect.arrayContaining([
          `http://127.0.0.1:${port}/api/docs`,
          `http://127.0.0.1:${port}/api/docs/swagger-ui-bundle.js`,
          `http://127.0.0.1:${port}/api/schema`,
        ]),
      );
      expect(foreign(requests, '127.0.0.1')).toEqual([]);
    }, BROWSER_TIMEOUT_MS);

    // Swagger UI only shows its online validator badge (an <img> from validator.swagger.io) when
    // the document's URL is not localhost/127.0.0.1, i.e. in production. This visit uses a name.
    let namedHostRequests: string[] = [];
    it(`lists the operations when served under a host name (${NAMED_HOST})`, async () => {
      const visited = await visit(`http://${NAMED_HOST}:${port}/api/docs`);
      expect(visited.operations).toContain('POST /api/orchestrator/compras');
      expect(visited.requests).toContain(`http://${NAMED_HOST}:${port}/api/schema`);
      namedHostRequests = visited.requests;
    }, BROWSER_TIMEOUT_MS);

    // Without `validatorUrl: null`, Swagger UI under any host name but localhost asks
    // https://validator.swagger.io about our schema URL: a leak, and not offline.
    it('makes no request to another host when served under a host name', () => {
      expect(namedHostRequests.length).toBeGreaterThan(0);
      expect(foreign(namedHostRequests, NAMED_HOST)).toEqual([]);
    });
  },
);
