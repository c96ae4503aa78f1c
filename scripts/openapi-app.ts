import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createDeps } from '../src/deps.js';
import { createLogger } from '../src/observability/logger.js';
import { GatewayMetrics } from '../src/observability/metrics.js';

/** The OpenAPI document depends only on the routes, so any valid configuration renders it. */
export async function renderOpenApiDocument(): Promise<string> {
  const loaded = loadConfig({ JWT_SECRET: 'openapi-document-rendering-secret-0000' });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const deps = createDeps(loaded.config, {
    logger: createLogger('silent'),
    metrics: new GatewayMetrics({ processMetrics: false }),
  });
  try {
    const response = await createApp(deps).request('/api/schema');
    return `${JSON.stringify(await response.json(), null, 2)}\n`;
  } finally {
    deps.close();
  }
}
