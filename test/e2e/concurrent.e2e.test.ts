import * as fs from 'fs';
import * as path from 'path';
import { OpenStackClient } from '../../runtime/openstack';
import { DEFAULT_SITES } from '../../stacks';
import { devcloudClient } from '../../devcloud';
import { diffCensus, settledDiff, takeCensus } from '../support/cloud-census';
import { CdktfRun, resourcesInState, runCdktf, runCdktfAsync, stateFile, succeeded } from '../support/example-stacks';

/**
 * The README's commands run at the same time from one clone, with the local backend:
 * - both example stacks deployed at once, then destroyed at once: both succeed, each applies its
 *   own configuration, and the cloud is left as it was;
 * - meanwhile `all-in-one` deployed twice at once: Terraform's lock on terraform.all-in-one.tfstate
 *   lets one through, and the other fails within seconds with the lock error, having created
 *   nothing; the state is whole afterwards and a diff finds nothing to change.
 * Each run is given its own stack's floating-IP range (MAGNUM_CDKTF_CONFIG), so a run that applied
 * what another run synthesized shows in the external subnet.
 */
jest.setTimeout(1_800_000);

const root = path.join(__dirname, '..', '..');
const STACKS = ['all-in-one', 'fedora-coreos'] as const;
/** A range of each stack's own, narrower than its default (stacks/config.ts). */
const OWN_RANGES = {
  'all-in-one': [{ start: '10.0.2.150', end: '10.0.2.189' }],
  'fedora-coreos': [{ start: '172.24.4.100', end: '172.24.4.180' }],
};
/** How long the run that loses the lock may take to fail: synth, init, and the lock refused. */
const LOSER_SECONDS = 60;

let os: OpenStackClient;

/** The config file that gives one stack its own range, and nothing else. */
function ownConfig(stack: (typeof STACKS)[number]): string {
  const file = path.join(root, '.tmp', `concurrent-${stack}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ [stack]: { floatingIpRanges: OWN_RANGES[stack] } }));
  return file;
}

const outputsFile = (name: string) => path.join(root, '.tmp', `concurrent-outputs-${name}.json`);
const deploy = (stack: (typeof STACKS)[number], name: string) =>
  runCdktfAsync(['deploy', stack, '--auto-approve', '--outputs-file', outputsFile(name)], { MAGNUM_CDKTF_CONFIG: ownConfig(stack) });
const createdAnything = (run: CdktfRun) => /Creating\.\.\.|Creation complete|Still creating/.test(run.output);
/** How a deploy ended, in a word, or with the first line that says why. */
function outcome(run: CdktfRun): string {
  if (run.status === 0) return 'deployed';
  if (/Error acquiring the state lock/.test(run.output)) return 'refused: state lock';
  return `failed (exit ${run.status ?? run.signal}): ${run.output.split('\n').find((l) => /error/i.test(l)) ?? run.output.slice(-500)}`;
}

/** The floating-IP ranges of a deployed stack's external network, read back through Neutron. */
async function deployedRanges(outputs: string, stack: string): Promise<unknown> {
  const out = JSON.parse(fs.readFileSync(outputs, 'utf8'))[stack];
  const { subnets } = await os.request('network', 'GET', `/v2.0/subnets?network_id=${out.external_network_id}`);
  return subnets.map((s: { allocation_pools: unknown }) => s.allocation_pools);
}

beforeAll(async () => {
  os = await devcloudClient();
  // A stack left deployed (`npm start` leaves all-in-one so) would turn the deploys into no-ops.
  for (const stack of STACKS) if (resourcesInState(stack) > 0) succeeded(['destroy', stack], runCdktf(['destroy', stack, '--auto-approve']));
});

afterAll(async () => {
  // A failure half-way must not leave a stack deployed on the shared cloud.
  const left = STACKS.filter((s) => resourcesInState(s) > 0);
  const runs = await Promise.all(left.map((s) => runCdktfAsync(['destroy', s, '--auto-approve'], { MAGNUM_CDKTF_CONFIG: ownConfig(s) })));
  runs.forEach((r, i) => r.status !== 0 && console.error(`concurrent cleanup: destroy ${left[i]} failed:\n${r.output.slice(-2000)}`));
});

test('both stacks deploy and destroy at once; a second deploy of one stack fails on the state lock', async () => {
  // GIVEN the cloud as it is, counted, and ranges that tell each run's configuration from the default
  for (const stack of STACKS) expect(OWN_RANGES[stack]).not.toEqual(DEFAULT_SITES[stack].floatingIpRanges);
  const before = await takeCensus();
  const start = Date.now();

  // WHEN fedora-coreos and, twice, all-in-one are deployed at the same time
  const [coreos, ...allInOne] = await Promise.all([deploy('fedora-coreos', 'coreos'), deploy('all-in-one', 'a'), deploy('all-in-one', 'b')]);
  const deploySeconds = (Date.now() - start) / 1000;

  // THEN fedora-coreos and exactly one all-in-one succeeded, and the other failed on Terraform's state lock
  succeeded(['deploy', 'fedora-coreos'], coreos);
  expect(allInOne.map(outcome).sort()).toEqual(['deployed', 'refused: state lock']);
  const winner = allInOne.findIndex((r) => r.status === 0);
  const loser = allInOne[1 - winner];

  // AND it failed cleanly: at once, with exit 1, before creating anything
  expect({ exit: loser.status, fast: loser.seconds < LOSER_SECONDS, created: createdAnything(loser) }).toEqual({ exit: 1, fast: true, created: false });

  // AND the state is whole, and each run applied its own configuration, not one another run synthesized
  expect(JSON.parse(fs.readFileSync(stateFile('all-in-one'), 'utf8')).resources.length).toBeGreaterThan(0);
  expect(await deployedRanges(outputsFile(winner === 0 ? 'a' : 'b'), 'all-in-one')).toEqual([OWN_RANGES['all-in-one']]);
  expect(await deployedRanges(outputsFile('coreos'), 'fedora-coreos')).toEqual([OWN_RANGES['fedora-coreos']]);

  // AND the cloud holds one cluster, template and image per stack: the loser made none
  const deployed = diffCensus(before, await takeCensus());
  const added = (kind: 'clusters' | 'clusterTemplates' | 'images') => (deployed[kind] ?? []).filter((x) => x.startsWith('+')).length;
  expect({ clusters: added('clusters'), clusterTemplates: added('clusterTemplates'), images: added('images') }).toEqual({
    clusters: 2,
    clusterTemplates: 2,
    images: 2,
  });
  const removed = Object.values(deployed)
    .flat()
    .filter((x) => x.startsWith('-'));
  expect(removed).toEqual([]);

  // AND a diff of all-in-one finds nothing to change
  const diff = runCdktf(['diff', 'all-in-one'], { MAGNUM_CDKTF_CONFIG: ownConfig('all-in-one') });
  expect(succeeded(['diff', 'all-in-one'], diff)).toMatch(/No changes/);

  // WHEN both are destroyed at the same time
  const destroyStart = Date.now();
  const destroys = await Promise.all(STACKS.map((s) => runCdktfAsync(['destroy', s, '--auto-approve'], { MAGNUM_CDKTF_CONFIG: ownConfig(s) })));
  const destroySeconds = (Date.now() - destroyStart) / 1000;

  // THEN both succeeded, and the cloud is as it was
  destroys.forEach((run, i) => succeeded(['destroy', STACKS[i]], run));
  expect((await settledDiff(before)).diff).toEqual({});
  console.log(
    `concurrent: deploys ${deploySeconds.toFixed(0)} s (fedora-coreos ${coreos.seconds.toFixed(0)} s, all-in-one ${allInOne[winner].seconds.toFixed(0)} s, ` +
      `the locked-out all-in-one failed after ${loser.seconds.toFixed(1)} s), diff ${diff.seconds.toFixed(0)} s, destroys ${destroySeconds.toFixed(0)} s, ` +
      `total ${((Date.now() - start) / 1000).toFixed(0)} s`,
  );
});
