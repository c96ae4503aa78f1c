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

    // Swagger UI shows its online validator badge (an <img> from validator.swagger.io, asked about
    // our schema URL: a leak, and not offline) only when the page is not on localhost/127.0.0.1, as in
    // production; `validatorUrl: null` prevents it. So the one visit uses a host name: on 127.0.0.1
    // nothing could show that.
    it(`lists every documented operation at /api/docs under a host name (${NAMED_HOST}), with no request to another host`, async () => {
      const root = `http://${NAMED_HOST}:${port}`;
      const { operations, locked, requests } = await visit(`${root}/api/docs`);
      expect(operations).toContain('POST /api/orchestrator/compras');
      expect(operations).toEqual(expect.arrayContaining(['POST /api/orchestrator/auth/login', 'POST /api/orchestrator/recetas/upload']));
      const document = loadCommittedDocument();
      expect([...operations].sort()).toEqual(documentedOperations(document).sort());
      // The padlock follows the document: every bearer operation has one, the open ones none.
      expect([...locked].sort()).toEqual(bearerOperations(document).sort());
      expect(locked).not.toContain('POST /api/orchestrator/auth/login');
      expect(locked).not.toContain('GET /api/orchestrator/productos/{id}');
      expect(requests).toEqual(expect.arrayContaining([`${root}/api/docs`, `${root}/api/docs/swagger-ui-bundle.js`, `${root}/api/schema`]));
      expect(foreign(requests, NAMED_HOST)).toEqual([]);
    }, BROWSER_TIMEOUT_MS);
  },
);
