import { relative } from 'node:path';
import { checkManifests, readManifestDir } from './k8s-manifests.js';
import { fromRoot } from './project-root.js';

/** `npm run lint:k8s [dir]`: validates the Kubernetes manifests; exit 1 with one line per problem. */
const dir = process.argv[2] ?? fromRoot('deploy', 'kubernetes');
const files = readManifestDir(dir);
const problems = checkManifests(files);
const where = relative(process.cwd(), dir) || '.';
if (problems.length > 0) {
  for (const problem of problems) console.error(`${where}: ${problem}`);
  console.error(`lint:k8s: ${problems.length} problem(s) in ${files.length} file(s)`);
  process.exit(1);
}
console.log(`lint:k8s: ${files.length} file(s) in ${where} valid (Kubernetes schemas, references, probes, drain, security, resources)`);
