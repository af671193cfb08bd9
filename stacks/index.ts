import { App } from 'cdktf';
import { AllInOneStack, AllInOneStackProps } from './all-in-one-stack';

export * from './all-in-one-stack';

/** Site-specific values of the example stacks; every field has an embedded default. */
export interface ExampleConfig {
  readonly allInOne: AllInOneStackProps;
}

/** Kolla-Ansible's documented all-in-one values (`init-runonce`'s EXT_NET_* defaults). */
export const DEFAULT_CONFIG: ExampleConfig = {
  allInOne: {
    externalCidr: '10.0.2.0/24',
    floatingIpStart: '10.0.2.150',
    floatingIpEnd: '10.0.2.199',
    externalGateway: '10.0.2.1',
  },
};

/** Adds every example stack to `app`: main.ts and the tests build the same set. */
export function addExampleStacks(app: App, config: ExampleConfig = DEFAULT_CONFIG): void {
  new AllInOneStack(app, 'all-in-one', config.allInOne);
}
