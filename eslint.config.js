// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * The layer boundaries of src/ (docs/architecture.md), enforced. Each folder gets one
 * `no-restricted-imports` entry holding every pattern that applies to it: in a flat config a
 * later entry for the same files replaces the rule's options instead of adding to them.
 */

/** Only src/config/ reads the environment (it hands the rest a typed `Config`). */
const ENV_IMPORTS = [
  { name: 'process', importNames: ['env'], message: 'Only src/config/ reads the environment: take the value from Config.' },
  { name: 'node:process', importNames: ['env'], message: 'Only src/config/ reads the environment: take the value from Config.' },
];

/** src/domain/ is plain TypeScript: no framework, HTTP client, breaker, logger or Redis client. */
const DOMAIN_PATTERNS = [
  {
    regex: '^(hono|@hono/[^/]+|ky|undici|opossum|pino|ioredis|redis|@redis/[^/]+)(/.*)?$',
    message:
      'src/domain/ imports no framework, HTTP client, breaker, logger or Redis client: take a port (domain/ports, an upstream client interface) instead.',
  },
  {
    regex: '(^|/)upstreams/(http|dns)(/|$)',
    message:
      'src/domain/ may use the upstream clients\u2019 interfaces and payload types (upstreams/<service>/), not the call machinery in upstreams/http or upstreams/dns.',
  },
  {
    regex: '(^|/)upstreams/',
    importNamePattern: 'Schema$',
    message: 'src/domain/ never reads an upstream\u2019s wire format: the upstream client translates it (e.g. a refusal class it throws).',
  },
  {
    regex: '^(\\.\\./)+(http|routes|server|observability|coordination)/',
    message: 'src/domain/ does not reach up into the HTTP layer, the server, observability or the coordination adapters: they depend on it.',
  },
];

/** Routes call use-cases, never an upstream client directly. */
const ROUTE_PATTERNS = [
  {
    regex: '(^|/)upstreams(/|$)',
    message: 'src/routes/ calls the use-cases in src/domain/, never an upstream client: the composition root (src/deps.ts) wires them.',
  },
];

/** Upstream clients translate the services' wire formats; the use-cases decide what they mean. */
const UPSTREAM_PATTERNS = [
  {
    regex: '(^|/)domain(/|$)',
    message:
      'src/upstreams/ does not import src/domain/: the domain depends on the upstream interfaces, not the reverse. Shared vocabulary lives in src/errors/.',
  },
];

const restrictedImports = (patterns = []) => ['error', { paths: ENV_IMPORTS, patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['scripts/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  // Layer boundaries (scripts/, bench/, test/ and mocks/ are outside them).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/config/ reads the environment: take the value from Config.' },
      ],
      'no-restricted-imports': restrictedImports(),
    },
  },
  { files: ['src/domain/**/*.ts'], rules: { 'no-restricted-imports': restrictedImports(DOMAIN_PATTERNS) } },
  { files: ['src/routes/**/*.ts'], rules: { 'no-restricted-imports': restrictedImports(ROUTE_PATTERNS) } },
  { files: ['src/upstreams/**/*.ts'], rules: { 'no-restricted-imports': restrictedImports(UPSTREAM_PATTERNS) } },
);
