// deploy/kubernetes/ passes the validator behind `npm run lint:k8s`, and the validator fails on
// broken copies of it (each changed in memory in one way).
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkManifests, GATEWAY_VARIABLES, parseQuantity, readManifestDir, type ManifestFile } from '../../scripts/ops/k8s-manifests.js';

const DIR = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const original = readManifestDir(DIR);
const CONTAINER = ['spec', 'template', 'spec', 'containers', 0];

/** The manifests with `file` changed by `edit` (on its parsed YAML document). */
function withEdit(file: string, edit: (document: ReturnType<typeof parseDocument>) => void): ManifestFile[] {
  expect(original.map((f) => f.name)).toContain(file);
  return original.map((f) => {
    if (f.name !== file) return f;
    const document = parseDocument(f.text);
    edit(document);
    return { name: f.name, text: String(document) };
  });
}

const withText = (file: string, text: string): ManifestFile[] =>
  original.map((f) => (f.name === file ? { name: f.name, text } : f));

describe('deploy/kubernetes', () => {
  it('has every manifest the gateway needs', () => {
    expect(original.map((f) => f.name)).toEqual([
      'configmap.yaml', 'deployment.yaml', 'hpa.yaml', 'kustomization.yaml', 'pdb.yaml', 'redis.yaml', 'secret.yaml', 'service.yaml',
    ]);
  });

  it.each([
    ['a Redis that may evict records', 'redis.yaml', '"noeviction"', '"allkeys-lru"', /noeviction/],
    ['a REDIS_URL that is not the Redis Service', 'secret.yaml', 'redis://botica-redis:6379/0', 'redis://elsewhere:6379/0', /REDIS_URL/],
    ['a REDIS_URL taken as a literal value', 'deployment.yaml', '- name: REDIS_URL\n              valueFrom:\n                secretKeyRef:\n                  name: botica-gateway-secrets\n                  key: REDIS_URL', '- name: REDIS_URL\n              value: redis://x:6379', /REDIS_URL/],
  ])('flags %s', (_name, file, from, to, problem) => {
    const changed = original.map((f) => (f.name === file ? { ...f, text: f.text.replace(from, to) } : f));
    expect(changed.find((f) => f.name === file)?.text).not.toBe(original.find((f) => f.name === file)?.text);
    expect(checkManifests(changed).join('\n')).toMatch(problem);
  });

  it('is valid: Kubernetes schemas, references, probes, drain budget, security and resources', () => {
    expect(checkManifests(original)).toEqual([]);
  });

  it('knows the variables of the gateway from its config schema', () => {
    expect(GATEWAY_VARIABLES).toEqual(expect.arrayContaining(['PORT', 'JWT_SECRET', 'SHUTDOWN_GRACE_MS', 'TLS_CERT_FILE']));
  });
});

describe('the manifest validator rejects', () => {
  const cases: [string, () => ManifestFile[], RegExp][] = [
    ['a field of the wrong type (Kubernetes schema)',
      () => withEdit('deployment.yaml', (d) => d.setIn([...CONTAINER, 'ports', 0, 'containerPort'], 'eighty')),
      /deployment\.yaml.*fails the Kubernetes schema.*containerPort must be integer/],
    ['a missing required field (Kubernetes schema)',
      () => withEdit('deployment.yaml', (d) => d.deleteIn(['spec', 'selector'])),
      /fails the Kubernetes schema.*selector/],
    ['an unknown kind',
      () => withText('service.yaml', `${original.find((f) => f.name === 'service.yaml')?.text}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n`),
      /unknown kind networking\.k8s\.io\/v1\/Ingress/],
    ['a kind under the wrong apiVersion',
      () => withEdit('hpa.yaml', (d) => d.set('apiVersion', 'autoscaling/v1')),
      /unknown kind autoscaling\/v1\/HorizontalPodAutoscaler/],
    ['invalid YAML (a duplicate key)',
      () => withText('pdb.yaml', 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nkind: Service\n'),
      /pdb\.yaml.*YAML DUPLICATE_KEY/],
    ['a Service selector that matches no pod',
      () => withEdit('service.yaml', (d) => d.setIn(['spec', 'selector', 'app.kubernetes.io/name'], 'other')),
      /Service botica-gateway: selector does not match/],
    ['a Service targetPort the container does not have',
      () => withEdit('service.yaml', (d) => d.setIn(['spec', 'ports', 0, 'targetPort'], 'admin')),
      /targetPort admin is not a port/],
    ['a Service that exposes the metrics port',
      () => withEdit('service.yaml', (d) => d.setIn(['spec', 'ports', 0, 'targetPort'], 'metrics')),
      /Service botica-gateway: port 80 exposes METRICS_PORT 9464/],
    ['a METRICS_PORT the container does not declare',
      () => withEdit('configmap.yaml', (d) => d.setIn(['data', 'METRICS_PORT'], '9465')),
      /no containerPort 9465 \(the ConfigMap's METRICS_PORT\)/],
    ['an env reference to a Secret that does not exist',
      () => withEdit('deployment.yaml', (d) => d.setIn([...CONTAINER, 'env', 0, 'valueFrom', 'secretKeyRef', 'name'], 'nope')),
      /env JWT_SECRET references Secret nope/],
    ['an env reference to a key the Secret does not have',
      () => withEdit('deployment.yaml', (d) => d.setIn([...CONTAINER, 'env', 0, 'valueFrom', 'secretKeyRef', 'key'], 'JWT')),
      /references key JWT, which Secret botica-gateway-secrets does not have/],
    ['envFrom of a ConfigMap that does not exist',
      () => withEdit('deployment.yaml', (d) => d.setIn([...CONTAINER, 'envFrom', 0, 'configMapRef', 'name'], 'cfg')),
      /envFrom references ConfigMap cfg/],
    ['a ConfigMap without one of the variables',
      () => withEdit('configmap.yaml', (d) => d.deleteIn(['data', 'REQUEST_TIMEOUT_MS'])),
      /ConfigMap botica-gateway-config: missing REQUEST_TIMEOUT_MS/],
    ['a ConfigMap key that is not a variable of the gateway',
      () => withEdit('configmap.yaml', (d) => d.setIn(['data', 'REQUEST_TIMEOUT'], '1000')),
      /REQUEST_TIMEOUT is not a variable of the gateway/],
    ['the JWT secret in the ConfigMap',
      () => withEdit('configmap.yaml', (d) => d.setIn(['data', 'JWT_SECRET'], 'x'.repeat(40))),
      /JWT_SECRET is a secret; it belongs in the Secret/],
    ['a readiness probe on the wrong path',
      () => withEdit('deployment.yaml', (d) => d.setIn([...CONTAINER, 'readinessProbe', 'httpGet', 'path'], '/api/orchestrator/health')),
      /readinessProbe must GET \/api\/orchestrator\/ready/],
    ['a liveness probe on another port',
      () => withEdit('deployment.yaml', (d) => d.setIn([...CONTAINER, 'livenessProbe', 'httpGet', 'port'], 8080)),
      /livenessProbe port 8080 is not 8888/],
    ['a missing liveness probe',
      () => withEdit('deployment.yaml', (d) => d.deleteIn([...CONTAINER, 'livenessProbe'])),
      /no livenessProbe/],
    ['HTTP probes when the pod serves HTTPS',
      () => withEdit('configmap.yaml', (d) => { d.setIn(['data', 'TLS_CERT_FILE'], '/tls/tls.crt'); d.setIn(['data', 'TLS_KEY_FILE'], '/tls/tls.key'); }),
      /readinessProbe scheme must be HTTPS/],
    ['no preStop delay',
      () => withEdit('deployment.yaml', (d) => d.deleteIn([...CONTAINER, 'lifecycle'])),
      /preStop must wait/],
    ['a termination grace period shorter than preStop + SHUTDOWN_GRACE_MS',
      () => withEdit('configmap.yaml', (d) => d.setIn(['data', 'SHUTDOWN_GRACE_MS'], '30000')),
      /terminationGracePeriodSeconds 30 must exceed preStop 5 s \+ SHUTDOWN_GRACE_MS 30 s/],
    ['a writable root filesystem',
      () => withEdit('deployment.yaml', (d) => d.setIn([...CONTAINER, 'securityContext', 'readOnlyRootFilesystem'], false)),
      /readOnlyRootFilesystem must be true/],
    ['running as root',
      () => withEdit('deployment.yaml', (d) => {
        d.setIn([...CONTAINER, 'securityContext', 'runAsUser'], 0);
        d.setIn([...CONTAINER, 'securityContext', 'runAsNonRoot'], false);
      }),
      /runAsNonRoot must be true[\s\S]*runAsUser must be 1000/],
    ['capabilities not dropped',
      () => withEdit('deployment.yaml', (d) => d.deleteIn([...CONTAINER, 'securityContext', 'capabilities'])),
      /capabilities must drop ALL/],
    ['privilege escalation',
      () => withEdit('deployment.yaml', (d) => d.setIn([...CONTAINER, 'securityContext', 'allowPrivilegeEscalation'], true)),
      /allowPrivilegeEscalation must be false/],
    ['no writable /tmp',
      () => withEdit('deployment.yaml', (d) => d.deleteIn([...CONTAINER, 'volumeMounts'])),
      /\/tmp must be an emptyDir/],
    ['a memory request above its limit',
      () => withEdit('deployment.yaml', (d) => d.setIn([...CONTAINER, 'resources', 'requests', 'memory'], '1Gi')),
      /memory request exceeds its limit/],
    ['missing CPU limit',
      () => withEdit('deployment.yaml', (d) => d.deleteIn([...CONTAINER, 'resources', 'limits', 'cpu'])),
      /resources\.limits\.cpu missing/],
    ['an autoscaler aimed at another Deployment',
      () => withEdit('hpa.yaml', (d) => d.setIn(['spec', 'scaleTargetRef', 'name'], 'other')),
      /scaleTargetRef must be apps\/v1 Deployment botica-gateway/],
    ['an autoscaler that may go down to the disruption budget',
      () => withEdit('hpa.yaml', (d) => d.setIn(['spec', 'minReplicas'], 1)),
      /minReplicas 1 must exceed PodDisruptionBudget minAvailable 1/],
    ['a disruption budget that selects no pod',
      () => withEdit('pdb.yaml', (d) => d.setIn(['spec', 'selector', 'matchLabels', 'app.kubernetes.io/component'], 'db')),
      /PodDisruptionBudget botica-gateway: selector does not match/],
    ['a manifest missing from the kustomization',
      () => withEdit('kustomization.yaml', (d) => d.deleteIn(['resources', 5])),
      /resources does not list pdb\.yaml/],
    ['a kustomization resource that does not exist',
      () => withEdit('kustomization.yaml', (d) => d.addIn(['resources'], 'ingress.yaml')),
      /resource ingress\.yaml does not exist/],
  ];

  it.each(cases)('%s', (_name, broken, expected) => {
    const problems = checkManifests(broken());
    expect(problems.join('\n')).toMatch(expected);
  });

  it('parses Kubernetes quantities', () => {
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('1')).toBe(1);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('lots')).toBeUndefined();
  });
});
