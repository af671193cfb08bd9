import { App, Testing, TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { OpenstackProvider } from '../../lib';

/** A stack with the OpenStack and null providers, the GIVEN of most construct tests. */
export function givenStack(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new OpenstackProvider(stack, 'openstack', {});
  new NullProvider(stack, 'null', {});
  return stack;
}

/** The synthesized JSON of `stack`, parsed, with validations run. */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

/** All resources of one Terraform type in the synthesized JSON, by logical id. */
export function resourcesOf(stack: TerraformStack, type: string): Record<string, any> {
  return synthJson(stack).resource?.[type] ?? {};
}

/** The only resource of `type`; fails the test when there is not exactly one. */
export function onlyResource(stack: TerraformStack, type: string): any {
  const all = Object.values(resourcesOf(stack, type));
  if (all.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${all.length}`);
  }
  return all[0];
}

export { App };

/** Commonly needed constructs of a platform, for template and cluster tests. */
export function givenPlatformParts(stack: TerraformStack) {
  // Imported lazily so fixtures stay usable by tests that only need a stack.
  const lib = require('../../lib') as typeof import('../../lib');
  const external = new lib.ExternalNetwork(stack, 'public1', {
    cidr: '10.0.2.0/24',
    gatewayIp: '10.0.2.1',
    floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }],
  });
  const image = new lib.MagnumImage(stack, 'fcos', { source: lib.ImageSource.fromFile('/tmp/fcos.qcow2'), osDistro: lib.OsDistro.FEDORA_COREOS });
  const volumeType = new lib.VolumeType(stack, 'ssdvolume');
  return { lib, external, image, volumeType };
}
