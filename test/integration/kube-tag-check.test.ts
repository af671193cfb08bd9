import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { ClusterTemplate, MagnumCluster } from '../../lib';
import { terraformBinary } from '../../scripts/lib/terraform';
import { givenPlatformParts, givenStack, resourcesOf } from '../support/fixtures';

/**
 * The condition MagnumCluster writes against kube tag downgrades, evaluated by the real
 * Terraform (`terraform console`) with the running tag put where the cluster's `kube_tag`
 * label is read: numbers compared as numbers, tags it cannot parse let through. On the real
 * cloud, test/e2e/day-two.e2e.test.ts refuses a downgrade after an upgrade.
 */
const dir = fs.mkdtempSync(`${os.tmpdir()}/kube-tag-check-`);

/** Whether the check lets the template's `wanted` tag through while the cluster runs `running`. */
function passes(wanted: string, running: string): boolean {
  const stack = givenStack();
  const { image, external } = givenPlatformParts(stack);
  new MagnumCluster(stack, 'k8s', { template: new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external, kubeTag: wanted }) });
  const [condition] = Object.values(resourcesOf<{ lifecycle?: { precondition?: { condition: string }[] } }>(stack, 'terraform_data'))
    .flatMap((d) => d.lifecycle?.precondition ?? [])
    .map((p) => p.condition)
    .filter((c) => c.includes('kube_tag'));
  const expression = condition
    .replace(/^\$\{([^]*)\}$/, '$1')
    .replace(/lookup\(openstack_containerinfra_cluster_v1\.\w+\.labels, "kube_tag", ""\)/g, JSON.stringify(running));
  const run = spawnSync(terraformBinary, ['console'], { cwd: dir, input: `${expression}\n`, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return run.stdout.trim() === 'true';
}

test.each([
  ['v1.24.16-rancher1', 'v1.23.3-rancher1', true],
  ['v1.25.3', 'v1.25.3', true],
  ['v1.23.3-rancher1', 'v1.24.16-rancher1', false],
  // Numbers, not text: 10 is more than 3.
  ['v1.25.3', 'v1.25.10', false],
  ['1.26.0', 'v1.25.10', true],
  // Nothing to compare with (a cluster made without the label), or a tag without three numbers: not checked.
  ['v1.26.0', '', true],
  ['latest', 'v1.25.3', true],
])('kubeTag %s while the cluster runs %s: let through = %s', (wanted, running, expected) => {
  expect(passes(wanted, running)).toBe(expected);
});
