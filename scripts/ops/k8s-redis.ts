// The manifests' own Redis (redis.yaml): what the gateway's REDIS_URL points at, checked apart
// from the gateway's own objects.
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';

export const REDIS_NAME = 'botica-redis';
const REDIS_PORT = 6379;

interface Labelled {
  type: string;
  name: string;
  body: Record<string, unknown>;
}

export const labelsOf = (object: Labelled): Record<string, string> =>
  ((object.body.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {});

export function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

/**
 * One StatefulSet and one Service named botica-redis on 6379, without persistence and with
 * `noeviction` (an evicted idempotency record would let a retry register twice), resource limits,
 * a non-root container, and the gateway Secret's REDIS_URL pointing at that Service.
 */
export function checkRedisPolicies(redis: readonly Labelled[], gateway: readonly Labelled[]): string[] {
  const problems: string[] = [];
  const sets = redis.filter((object) => object.type === 'apps/v1/StatefulSet');
  const services = redis.filter((object) => object.type === 'v1/Service');
  if (sets.length !== 1 || services.length !== 1) {
    return [`${REDIS_NAME}: expected one StatefulSet and one Service, found ${sets.length} and ${services.length}`];
  }
  const set = (sets[0] as Labelled).body as unknown as IStatefulSet;
  const service = (services[0] as Labelled).body as unknown as IService;
  const container = set.spec?.template.spec?.containers[0];
  const args = container?.args ?? [];
  const argAfter = (flag: string) => args[args.indexOf(flag) + 1];
  if (argAfter('--maxmemory-policy') !== 'noeviction') problems.push(`${REDIS_NAME}: --maxmemory-policy must be noeviction`);
  if (!container?.resources?.limits?.memory || !container.resources.limits.cpu) problems.push(`${REDIS_NAME}: resources.limits missing`);
  if (set.spec?.template.spec?.securityContext?.runAsNonRoot !== true) problems.push(`${REDIS_NAME}: must run as non-root`);
  if (!container?.readinessProbe) problems.push(`${REDIS_NAME}: readiness probe missing`);
  if (!(service.spec?.ports ?? []).some((port) => port.port === REDIS_PORT)) problems.push(`${REDIS_NAME}: Service must expose ${REDIS_PORT}`);
  const selector = service.spec?.selector ?? {};
  const podLabels = set.spec?.template.metadata?.labels ?? {};
  if (!Object.entries(selector).every(([key, value]) => podLabels[key] === value)) problems.push(`${REDIS_NAME}: Service selects no Redis pod`);

  const secret = gateway.find((object) => object.type === 'v1/Secret')?.body as unknown as ISecret | undefined;
  const url = secret?.stringData?.REDIS_URL;
  if (url !== undefined) {
    const parsed = new URL(url);
    if (parsed.hostname !== service.metadata?.name || Number(parsed.port || REDIS_PORT) !== REDIS_PORT) {
      problems.push(`Secret: REDIS_URL ${parsed.hostname}:${parsed.port} is not the ${REDIS_NAME} Service`);
    }
  }
  return problems;
}
