import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveCloud } from '../../runtime/openstack';
import { shellQuote } from '../../scripts/lib/shell-quote';
import { LocalExec } from './fixtures';

/**
 * The provisioners that run the teardown CLI (ClusterTeardown's, the node groups' deleter's and
 * resizers'), run as Terraform runs them: through the real /bin/sh, with a stub for the CLI.
 */

/** The cluster and node group ids Terraform hands over in these tests. */
export const CLUSTER = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';
export const NODE_GROUP = '5b0c7d2e-9a41-4e8f-b3c6-1d2e3f4a5b6c';
/** The node count Terraform hands a node group's resizer in these tests. */
export const NODE_COUNT = 3;

/** Names an operator may really type, and names that would run code if a shell parsed them. */
export const HOSTILE: [string, string][] = [
  ['semicolon', 'infra;reboot'],
  ['and-and', 'a && touch /tmp/pwned'],
  ['pipe', 'a | cat /etc/passwd'],
  ['command substitution', '$(touch /tmp/pwned)'],
  ['backticks', '`touch /tmp/pwned`'],
  ['double quotes', 'say "hi"'],
  ['single quotes', "it's"],
  ['space', 'gpu pool'],
  ['tab', 'gpu\tpool'],
  ['newline', 'gpu\npool'],
  ['glob', '*'],
  ['leading dash', '--dry-run'],
  ['non-ASCII', 'nœud-grüppe-节点'],
  ['variable', '$HOME'],
  ['Terraform interpolation', '${self.id}'],
  ['Terraform directive', '%{ if true }x%{ endif }'],
];
/** clouds.yaml keys cannot hold control characters: the cloud name gets the rest. */
export const HOSTILE_CLOUDS = HOSTILE.filter(([, v]) => !/[\t\n]/.test(v));

/**
 * What Terraform hands the process: the provisioner's strings with `self` references and
 * escapes evaluated (`$${` → `${`, `%%{` → `%{`), the command for `sh -c`, the environment as is.
 * The integration test does the same with the real Terraform.
 */
function asTerraformEvaluates(text: string): string {
  const evaluated = text
    .replace(/(?<!\$)\$\{self\.triggers\.cluster_id\}/g, CLUSTER)
    .replace(/(?<!\$)\$\{self\.triggers_replace\.node_group\}/g, `${CLUSTER}/${NODE_GROUP}`)
    .replace(/(?<!\$)\$\{self\.triggers_replace\.node_count\}/g, String(NODE_COUNT));
  // Any other `${` or `%{` Terraform would read as a template of its own, not hand over as written.
  const template = evaluated.replace(/\$\$\{|%%\{/g, '').match(/[$%]\{[^}]*\}?/);
  if (template) throw new Error(`Terraform would evaluate ${template[0]} in ${JSON.stringify(text)}: escape it (escapeTemplate)`);
  return evaluated.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** A stand-in for the CLI that prints the argv and environment it received. */
const stub = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'teardown-stub-')), 'stub.js');
fs.writeFileSync(stub, 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), env: process.env }))');
/** The command that runs the stub: this node by its path, so the shell needs nothing on PATH. */
export const STUB = `${shellQuote(process.execPath)} ${shellQuote(stub)}`;

/**
 * Runs a synthesized provisioner through the real /bin/sh, as Terraform's local-exec does: the one
 * program besides node that a unit test runs, because it is the POSIX shell every machine has and how
 * a shell splits the command is what these tests are about.
 */
export function runThroughShell(local: Pick<LocalExec, 'command'> & Partial<LocalExec>): { argv: string[]; env: NodeJS.ProcessEnv } {
  const environment = Object.fromEntries(Object.entries(local.environment ?? {}).map(([k, v]) => [k, asTerraformEvaluates(v)]));
  const run = spawnSync('/bin/sh', ['-c', asTerraformEvaluates(local.command)], { env: { PATH: process.env.PATH, ...environment }, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

/** The clouds.yaml entry the CLI's cloud resolution picks, given one entry of every name the tests use. */
export function cloudSelectedBy(cloud: string | undefined, env: NodeJS.ProcessEnv): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teardown-clouds-'));
  const entry = { auth: { auth_url: 'http://127.0.0.1:5000/v3', username: 'u', password: 'p', project_name: 'p' } };
  const names = env.OS_CLOUD ? [env.OS_CLOUD] : ['only'];
  fs.writeFileSync(path.join(dir, 'clouds.yaml'), JSON.stringify({ clouds: Object.fromEntries(names.map((n) => [n, entry])) }));
  return resolveCloud(cloud, { OS_CLOUD: env.OS_CLOUD, OS_CLIENT_CONFIG_FILE: path.join(dir, 'clouds.yaml') }, dir).name;
}
