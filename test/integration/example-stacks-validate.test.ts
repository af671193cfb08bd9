import * as fs from 'fs';
import * as path from 'path';
import { Testing, TerraformStack } from 'cdktf';
import { NetworkingNetworkV2 } from '../../.gen/providers/openstack/networking-network-v2';
import { OpenstackProvider } from '../../lib';
import { addExampleStacks } from '../../stacks';
import { validateStackDir } from '../../scripts/lib/terraform';

/**
 * `terraform validate` of every example stack against the real provider schema (the
 * Terraform CLI and provider from .toolchain/env). Their snapshots and the shape of their
 * JSON are unit tests: test/unit/stacks/example-stacks.test.ts.
 */
jest.setTimeout(120_000);

// The same stacks main.ts builds.
const app = Testing.app();
addExampleStacks(app);
app.synth();
const stacksDir = path.join(app.outdir, 'stacks');
const stackNames = fs.readdirSync(stacksDir).sort();

describe('example stacks', () => {
  test.each(stackNames)('%s passes terraform validate against the real provider schema', (name) => {
    const result = validateStackDir(path.join(stacksDir, name));
    expect(result.diagnostics.filter((d) => d.startsWith('error'))).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('terraform validate', () => {
  test('fails on an attribute the provider schema does not have', () => {
    // GIVEN a network with an attribute terraform-provider-openstack 3.4.0 lacks
    const bad = Testing.app();
    const stack = new TerraformStack(bad, 'bad');
    new OpenstackProvider(stack, 'openstack', {});
    new NetworkingNetworkV2(stack, 'net', { name: 'n' }).addOverride('no_such_attribute', true);
    bad.synth();
    // WHEN
    const result = validateStackDir(path.join(bad.outdir, 'stacks', 'bad'));
    // THEN
    expect(result.valid).toBe(false);
    expect(result.diagnostics.join('\n')).toMatch(/no_such_attribute/);
  });
});
