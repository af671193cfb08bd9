import { App } from 'cdktf';
import { AllInOneStack } from './all-in-one-stack';
import { overrideLayers, resolveSites, SiteOverrides } from './config';
import { FedoraCoreosStack } from './fedora-coreos-stack';

export * from './all-in-one-stack';
export * from './fedora-coreos-stack';
export * from './example-site';
export * from './example-stack';
export * from './backend';
export * from './config';

/**
 * Adds every example stack to `app`, with the embedded defaults overridden by
 * `overrides` alone when given (tests), else by the layers of {@link overrideLayers}:
 * the target cloud's file, the cdktf context key `magnum`, the `MAGNUM_CDKTF_CONFIG`
 * file. main.ts and the tests build the same set.
 */
export function addExampleStacks(app: App, overrides?: SiteOverrides): void {
  const layers = overrides === undefined ? overrideLayers(app) : [{ overrides, source: 'overrides' }];
  const sites = resolveSites(layers, app);
  new AllInOneStack(app, 'all-in-one', { site: sites['all-in-one'] });
  new FedoraCoreosStack(app, 'fedora-coreos', { site: sites['fedora-coreos'] });
}
