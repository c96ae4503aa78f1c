// Validation of deploy/kubernetes/: every YAML document against the Kubernetes schema of its kind
// (kubernetes-models), then the cross-references and the policies the gateway relies on (selectors,
// ConfigMap/Secret references, probe paths and ports, drain budget, security context, resources).
// Used by `npm run lint:k8s` (validate-manifests.ts) and test/deployment/manifests.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret, type ISecret } from 'kubernetes-models/v1/Secret';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import { EnvSchema } from '../../src/config/env-schema.js';
import { REDIS_NAME, checkRedisPolicies, labelsOf, partition } from './k8s-redis.js';

export const HEALTH_PATH = '/api/orchestrator/health';
export const READY_PATH = '/api/orchestrator/ready';
/** Variables that must come from a Secret, never from the ConfigMap. */
export const SECRET_VARIABLES = ['JWT_SECRET', 'REDIS_URL'] as const;
/** Every variable the gateway reads (its zod schema is the one source of truth). */
export const GATEWAY_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);
/** The `node` user of the official Node images. */
export const IMAGE_USER_ID = 1000;

interface Validatable { validate(): void }
type ModelClass = new (data: never) => Validatable;

/** The kinds the gateway ships, by `apiVersion/kind`; anything else is an error. */
const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap as unknown as ModelClass,
  'v1/Secret': Secret as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
  'apps/v1/Deployment': Deployment as unknown as ModelClass,
  'apps/v1/StatefulSet': StatefulSet as unknown as ModelClass,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as unknown as ModelClass,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as ModelClass,
};
const KUSTOMIZATION = 'kustomize.config.k8s.io/v1beta1/Kustomization';

export interface ManifestFile {
  /** File name inside the manifest folder, e.g. `deployment.yaml`. */
  name: string;
  text: string;
}

export interface ManifestObject {
  file: string;
  /** `apiVersion/kind`. */
  type: string;
  name: string;
  body: Record<string, unknown>;
}

/** Every `*.yaml` / `*.yml` file of `dir`, sorted by name. */
export function readManifestDir(dir: string): ManifestFile[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

/** All problems of a manifest set; an empty list means valid. */
export function checkManifests(files: readonly ManifestFile[]): string[] {
  const problems: string[] = [];
  const objects: ManifestObject[] = [];
  const kustomizations: ManifestObject[] = [];

  for (const file of files) {
    const documents = parseAllDocuments(file.text);
    if (!Array.isArray(documents)) {
      problems.push(`${file.name}: not a YAML stream`);
      continue;
    }
    documents.forEach((document, index) => {
      const where = `${file.name} (document ${index + 1})`;
      for (const error of document.errors) problems.push(`${where}: YAML ${error.code}: ${error.message.split('\n')[0]}`);
      if (document.errors.length > 0) return;
      const body: unknown = document.toJS();
      if (body === null || body === undefined) return;
      if (typeof body !== 'object' || Array.isArray(body)) {
        problems.push(`${where}: a manifest must be a mapping`);
        return;
      }
      const record = body as Record<string, unknown>;
      const type = `${String(record.apiVersion)}/${String(record.kind)}`;
      const name = String((record.metadata as { name?: unknown } | undefined)?.name ?? '');
      const object: ManifestObject = { file: file.name, type, name, body: record };
      if (type === KUSTOMIZATION) {
        kustomizations.push(object);
        return;
      }
      const Model = MODELS[type];
      if (!Model) {
        problems.push(`${where}: unknown kind ${type} (known: ${[...Object.keys(MODELS), KUSTOMIZATION].join(', ')})`);
        return;
      }
      try {
        new Model(record as never).validate();
      } catch (error) {
        problems.push(`${where}: ${type} ${name || '(no name)'} fails the Kubernetes schema: ${(error as Error).message}`);
        return;
      }
      if (!name) problems.push(`${where}: ${type} has no metadata.name`);
      objects.push(object);
    });
  }

  problems.push(...checkKustomization(files, kustomizations));
  const [redis, gateway] = partition(objects, (object) => labelsOf(object)['app.kubernetes.io/name'] === REDIS_NAME);
  problems.push(...checkGatewayPolicies(gateway));
  problems.push(...checkRedisPolicies(redis, gateway));
  return problems;
}

function checkKustomization(files: readonly ManifestFile[], kustomizations: ManifestObject[]): string[] {
  if (kustomizations.length === 0) return ['kustomization.yaml: missing (kubectl apply -k needs it)'];
  if (kustomizations.length > 1) return ['only one Kustomization is expected'];
  const [kustomization] = kustomizations as [ManifestObject];
  const resources = (kustomization.body.resources as unknown[] | undefined) ?? [];
  const listed = new Set(resources.map(String));
  const expected = files.map((file) => file.name).filter((name) => name !== kustomization.file);
  return [
    ...expected.filter((name) => !listed.has(name)).map((name) => `${kustomization.file}: resources does not list ${name}`),
    ...[...listed].filter((name) => !expected.includes(name)).map((name) => `${kustomization.file}: resource ${name} does not exist`),
  ];
}

const byType = <T>(objects: ManifestObject[], type: string) =>
  objects.filter((object) => object.type === type).map((object) => ({ ...object, spec: object.body as unknown as T }));

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);

/** Parses a Kubernetes quantity (`100m`, `1`, `128Mi`, `1G`) into a number of base units. */
export function parseQuantity(quantity: string | number | undefined): number | undefined {
  if (quantity === undefined) return undefined;
  const match = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(quantity));
  if (!match) return undefined;
  const factors: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(match[1]) * (match[2] ? (factors[match[2]] ?? Number.NaN) : 1);
}

function checkGatewayPolicies(objects: ManifestObject[]): string[] {
  const problems: string[] = [];
  const deployments = byType<IDeployment>(objects, 'apps/v1/Deployment');
  const services = byType<IService>(objects, 'v1/Service');
  const configMaps = byType<IConfigMap>(objects, 'v1/ConfigMap');
  const secrets = byType<ISecret>(objects, 'v1/Secret');
  const hpas = byType<IHorizontalPodAutoscaler>(objects, 'autoscaling/v2/HorizontalPodAutoscaler');
  const pdbs = byType<IPodDisruptionBudget>(objects, 'policy/v1/PodDisruptionBudget');

  for (const [what, list] of [['Deployment', deployments], ['Service', services], ['ConfigMap', configMaps], ['Secret', secrets],
    ['HorizontalPodAutoscaler', hpas], ['PodDisruptionBudget', pdbs]] as const) {
    if (list.length !== 1) problems.push(`expected exactly one ${what}, found ${list.length}`);
  }
  const [deployment] = deployments;
  if (!deployment) return problems;
  const d = `Deployment ${deployment.name}`;
  const podSpec = deployment.spec.spec?.template.spec;
  const podLabels = deployment.spec.spec?.template.metadata?.labels;
  if (!matches(deployment.spec.spec?.selector.matchLabels, podLabels)) problems.push(`${d}: selector.matchLabels does not match the pod template labels`);
  const containers = podSpec?.containers ?? [];
  if (containers.length !== 1) problems.push(`${d}: expected one container, found ${containers.length}`);
  const container = containers[0];
  if (!podSpec || !container) return problems;
  const c = `${d} container ${container.name}`;

  // Configuration: the ConfigMap covers every non-secret variable, the Secret holds the secret ones.
  const configMap = configMaps[0];
  const secret = secrets[0];
  const configData = configMap?.spec.data ?? {};
  const secretKeys = new Set([...Object.keys(secret?.spec.data ?? {}), ...Object.keys(secret?.spec.stringData ?? {})]);
  for (const variable of GATEWAY_VARIABLES) {
    const isSecret = (SECRET_VARIABLES as readonly string[]).includes(variable);
    if (isSecret && variable in configData) problems.push(`ConfigMap ${configMap?.name}: ${variable} is a secret; it belongs in the Secret`);
    if (!isSecret && !(variable in configData)) problems.push(`ConfigMap ${configMap?.name}: missing ${variable}`);
  }
  for (const key of Object.keys(configData)) {
    if (!GATEWAY_VARIABLES.includes(key)) problems.push(`ConfigMap ${configMap?.name}: ${key} is not a variable of the gateway (typo?)`);
  }
  for (const variable of SECRET_VARIABLES) {
    if (!secretKeys.has(variable)) problems.push(`Secret ${secret?.name}: missing ${variable}`);
  }
  const envFromNames = (container.envFrom ?? []).flatMap((source) => (source.configMapRef ? [source.configMapRef.name] : []));
  for (const name of envFromNames) {
    if (!configMaps.some((map) => map.name === name)) problems.push(`${c}: envFrom references ConfigMap ${name}, which is not in the manifests`);
  }
  if (configMap && !envFromNames.includes(configMap.name)) problems.push(`${c}: envFrom does not load ConfigMap ${configMap.name}`);
  for (const source of container.envFrom ?? []) {
    if (source.secretRef && !secrets.some((s) => s.name === source.secretRef?.name)) problems.push(`${c}: envFrom references Secret ${source.secretRef.name}, which is not in the manifests`);
  }
  const env = container.env ?? [];
  for (const entry of env) {
    const secretRef = entry.valueFrom?.secretKeyRef;
    if (secretRef) {
      const target = secrets.find((s) => s.name === secretRef.name);
      if (!target) problems.push(`${c}: env ${entry.name} references Secret ${secretRef.name}, which is not in the manifests`);
      else if (!secretKeys.has(secretRef.key)) problems.push(`${c}: env ${entry.name} references key ${secretRef.key}, which Secret ${secretRef.name} does not have`);
    }
    const mapRef = entry.valueFrom?.configMapKeyRef;
    if (mapRef && !configMaps.some((map) => map.name === mapRef.name && mapRef.key in (map.spec.data ?? {}))) {
      problems.push(`${c}: env ${entry.name} references ${mapRef.name}/${mapRef.key}, which no ConfigMap has`);
    }
  }
  for (const variable of SECRET_VARIABLES) {
    const fromSecret = env.some((entry) => entry.name === variable && entry.valueFrom?.secretKeyRef)
      || (container.envFrom ?? []).some((source) => source.secretRef);
    if (!fromSecret) problems.push(`${c}: ${variable} is not taken from the Secret`);
    if (env.some((entry) => entry.name === variable && entry.value !== undefined)) problems.push(`${c}: ${variable} must not be a literal value`);
  }

  // Ports and probes: port 8888 (the ConfigMap's PORT), the documented health and readiness paths.
  const port = Number(configData.PORT ?? 8888);
  const resolvePort = (value: string | number | undefined) =>
    typeof value === 'number' ? value : container.ports?.find((p) => p.name === value)?.containerPort;
  if (!container.ports?.some((p) => p.containerPort === port)) problems.push(`${c}: no containerPort ${port} (the ConfigMap's PORT)`);
  // METRICS_PORT: a containerPort of its own, which no Service exposes (Prometheus scrapes each pod).
  const metricsPort = configData.METRICS_PORT ? Number(configData.METRICS_PORT) : undefined;
  if (metricsPort !== undefined && !container.ports?.some((p) => p.containerPort === metricsPort)) {
    problems.push(`${c}: no containerPort ${metricsPort} (the ConfigMap's METRICS_PORT)`);
  }
  const probes = [
    ['readinessProbe', container.readinessProbe, READY_PATH],
    ['livenessProbe', container.livenessProbe, HEALTH_PATH],
    ['startupProbe', container.startupProbe, HEALTH_PATH],
  ] as const;
  for (const [probeName, probe, path] of probes) {
    if (!probe) {
      if (probeName !== 'startupProbe') problems.push(`${c}: no ${probeName}`);
      continue;
    }
    if (probe.httpGet?.path !== path) problems.push(`${c}: ${probeName} must GET ${path} (found ${probe.httpGet?.path ?? 'no httpGet'})`);
    if (probe.httpGet && resolvePort(probe.httpGet.port) !== port) problems.push(`${c}: ${probeName} port ${String(probe.httpGet.port)} is not ${port}`);
    const tls = configData.TLS_CERT_FILE && configData.TLS_KEY_FILE;
    if (probe.httpGet && (probe.httpGet.scheme ?? 'HTTP') !== (tls ? 'HTTPS' : 'HTTP')) {
      problems.push(`${c}: ${probeName} scheme must be ${tls ? 'HTTPS (TLS is configured)' : 'HTTP'}`);
    }
  }

  // Drain: preStop delay first (load balancers stop sending), then SIGTERM and SHUTDOWN_GRACE_MS.
  const preStop = container.lifecycle?.preStop;
  const sleepCommand = preStop?.exec?.command;
  const preStopSeconds = preStop?.sleep?.seconds
    ?? (sleepCommand?.[0] === 'sleep' && sleepCommand.length === 2 ? Number(sleepCommand[1]) : undefined);
  if (preStopSeconds === undefined || !(preStopSeconds > 0)) problems.push(`${c}: lifecycle.preStop must wait (sleep N) so load balancers stop sending before the drain`);
  const graceMs = Number(configData.SHUTDOWN_GRACE_MS ?? 10_000);
  const termination = podSpec.terminationGracePeriodSeconds ?? 30;
  if (preStopSeconds !== undefined && !(termination > preStopSeconds + graceMs / 1000)) {
    problems.push(`${d}: terminationGracePeriodSeconds ${termination} must exceed preStop ${preStopSeconds} s + SHUTDOWN_GRACE_MS ${graceMs / 1000} s`);
  }

  // Security: non-root (the image's node user), read-only root, no capabilities, no escalation.
  const podSecurity = podSpec.securityContext ?? {};
  const security = container.securityContext ?? {};
  if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) problems.push(`${c}: runAsNonRoot must be true`);
  if ((security.runAsUser ?? podSecurity.runAsUser) !== IMAGE_USER_ID) problems.push(`${c}: runAsUser must be ${IMAGE_USER_ID} (the image's node user)`);
  if (security.readOnlyRootFilesystem !== true) problems.push(`${c}: readOnlyRootFilesystem must be true`);
  if (security.allowPrivilegeEscalation !== false) problems.push(`${c}: allowPrivilegeEscalation must be false`);
  if (security.privileged === true) problems.push(`${c}: must not be privileged`);
  if (!security.capabilities?.drop?.includes('ALL')) problems.push(`${c}: capabilities must drop ALL`);
  if ((security.capabilities?.add ?? []).length > 0) problems.push(`${c}: must not add capabilities`);
  const tmpMount = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
  const tmpVolume = podSpec.volumes?.find((volume) => volume.name === tmpMount?.name);
  if (!tmpMount || !tmpVolume?.emptyDir) problems.push(`${c}: /tmp must be an emptyDir volume (the root filesystem is read-only)`);

  // Resources: requests and limits for CPU and memory, requests within limits.
  for (const resource of ['cpu', 'memory'] as const) {
    const request = parseQuantity(container.resources?.requests?.[resource] as string | undefined);
    const limit = parseQuantity(container.resources?.limits?.[resource] as string | undefined);
    if (request === undefined) problems.push(`${c}: resources.requests.${resource} missing or not a quantity`);
    if (limit === undefined) problems.push(`${c}: resources.limits.${resource} missing or not a quantity`);
    if (request !== undefined && limit !== undefined && request > limit) problems.push(`${c}: ${resource} request exceeds its limit`);
  }

  // The Service, the autoscaler and the disruption budget all point at this Deployment's pods.
  for (const service of services) {
    if (!matches(service.spec.spec?.selector, podLabels)) problems.push(`Service ${service.name}: selector does not match the labels of ${d}'s pods`);
    for (const servicePort of service.spec.spec?.ports ?? []) {
      const target = servicePort.targetPort ?? servicePort.port;
      if (resolvePort(target) === undefined) problems.push(`Service ${service.name}: targetPort ${String(target)} is not a port of ${c}`);
      if (metricsPort !== undefined && resolvePort(target) === metricsPort) {
        problems.push(`Service ${service.name}: port ${servicePort.port} exposes METRICS_PORT ${metricsPort}; scrape the pods instead`);
      }
    }
  }
  for (const hpa of hpas) {
    const target = hpa.spec.spec?.scaleTargetRef;
    if (target?.kind !== 'Deployment' || target.name !== deployment.name || target.apiVersion !== 'apps/v1') {
      problems.push(`HorizontalPodAutoscaler ${hpa.name}: scaleTargetRef must be apps/v1 Deployment ${deployment.name}`);
    }
    const cpu = hpa.spec.spec?.metrics?.some((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu');
    if (!cpu) problems.push(`HorizontalPodAutoscaler ${hpa.name}: must scale on CPU`);
    const minReplicas = hpa.spec.spec?.minReplicas ?? 1;
    for (const pdb of pdbs) {
      const minAvailable = Number(pdb.spec.spec?.minAvailable ?? 0);
      if (!(minReplicas > minAvailable)) {
        problems.push(`HorizontalPodAutoscaler ${hpa.name}: minReplicas ${minReplicas} must exceed PodDisruptionBudget minAvailable ${minAvailable}, or node drains block`);
      }
    }
  }
  for (const pdb of pdbs) {
    if (!matches(pdb.spec.spec?.selector?.matchLabels, podLabels)) problems.push(`PodDisruptionBudget ${pdb.name}: selector does not match the labels of ${d}'s pods`);
    if (pdb.spec.spec?.minAvailable !== 1) problems.push(`PodDisruptionBudget ${pdb.name}: minAvailable must be 1`);
  }
  return problems;
}
