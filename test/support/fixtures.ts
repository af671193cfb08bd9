import { App, Testing, TerraformStack } from 'cdktf';
import { OpenstackProvider } from '../../.gen/providers/openstack/provider';

/** A stack with the OpenStack provider, the GIVEN of most construct tests. */
export function givenStack(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new OpenstackProvider(stack, 'openstack', {});
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
