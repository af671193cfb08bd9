import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { DEFAULT_TEARDOWN_COMMAND } from '../../../lib';
import { CLAIMED_AT_ENV, CLOUD_ENV, CLUSTER_ENV, NODE_COUNT_ENV, NODE_GROUP_ENV, TEARDOWN_COMMANDS, TEARDOWN_FLAGS } from '../../../runtime/teardown/flags';
import { addExampleStacks } from '../../../stacks';
import { LocalExec } from '../../support/fixtures';

// Synthesized once for all tests here: the same stacks main.ts builds. (terraform validate of them:
// test/integration/example-stacks-validate.test.ts.)
const app = Testing.app();
addExampleStacks(app);
app.synth();
const stacksDir = path.join(app.outdir, 'stacks');
const stackNames = fs.readdirSync(stacksDir).sort();

/**
 * The synthesized JSON with provider sources in their full form (the prebuilt
 * @cdktf/provider-null writes "null", a generated binding "hashicorp/null" —
 * one address to Terraform) and asset hashes masked, so the snapshot holds for
 * cdktf and cdktn alike.
 */
function normalized(name: string): unknown {
  // Asset paths carry a content hash that cdktf and cdktn compute differently.
  const text = fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8').replace(/(assets\/[^/"]+\/)[0-9A-F]{32}\//g, '$1<hash>/');
  const json: { terraform: { required_providers?: Record<string, { source: string }> } } = JSON.parse(text);
  for (const provider of Object.values(json.terraform.required_providers ?? {})) {
    provider.source = provider.source.includes('/') ? provider.source : `hashicorp/${provider.source}`;
  }
  return json;
}

describe('example stacks', () => {
  test('main.ts builds at least the all-in-one stack', () => {
    expect(stackNames).toContain('all-in-one');
  });

  test.each(stackNames)('%s matches its snapshot', (name) => {
    expect(normalized(name)).toMatchSnapshot();
  });

  test.each(stackNames)('%s runs shell commands made of the teardown command, its subcommands, fixed flags and whole numbers only', (name) => {
    // The sink that issue #11 found: a destroy-time command built from values. Values travel in `environment`.
    const json: { resource?: Record<string, Record<string, { provisioner?: { 'local-exec'?: LocalExec }[] }>> } = JSON.parse(
      fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8'),
    );
    const commands = Object.values(json.resource ?? {})
      .flatMap((byId) => Object.values(byId))
      .flatMap((r) => (r.provisioner ?? []).map((p) => p['local-exec']).filter((local): local is LocalExec => Boolean(local)));
    expect(commands.length).toBeGreaterThan(0);
    const known: string[] = [...TEARDOWN_COMMANDS, ...Object.values(TEARDOWN_FLAGS).map((f) => `--${f.name}`)];
    for (const local of commands) {
      const [command, ...flags] = local.command.slice(DEFAULT_TEARDOWN_COMMAND.length).trim().split(' ');
      expect(local.command.startsWith(DEFAULT_TEARDOWN_COMMAND)).toBe(true);
      expect([command, ...flags].filter((f) => !known.includes(f) && !/^[0-9]+$/.test(f))).toEqual([]);
      expect(Object.keys(local.environment).every((k) => [CLUSTER_ENV, NODE_GROUP_ENV, NODE_COUNT_ENV, CLOUD_ENV, CLAIMED_AT_ENV].includes(k))).toBe(true);
    }
  });

  test.each(stackNames)('%s uses a relative local state path', (name) => {
    const json = JSON.parse(fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8'));
    expect(path.isAbsolute(json.terraform.backend.local.path)).toBe(false);
  });
});
