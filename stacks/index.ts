import { App } from 'cdktf';
import { AllInOneStack } from './all-in-one-stack';
import { overridesFromFile, resolveSites, SiteOverrides } from './config';
import { FedoraCoreosStack } from './fedora-coreos-stack';

export * from './all-in-one-stack';
export * from './fedora-coreos-stack';
export * from './example-site';
export * from './example-stack';
export * from './backend';
export * from './config';

/**
 * Adds every example stack to `app`, with the embedded defaults overridden by
 * `overrides`, else by the `MAGNUM_CDKTF_CONFIG` file, else by the cdktf
 * context key `magnum`. main.ts and the tests build the same set.
 */
export function addExampleStacks(app: App, overrides?: SiteOverrides): void {
  const fromFile = overrides === undefined ? overridesFromFile() : undefined;
  const fromContext = app.node.tryGetContext('magnum') as SiteOverrides | undefined;
  const source = overrides ? 'overrides' : fromFile ? `MAGNUM_CDKTF_CONFIG=${process.env.MAGNUM_CDKTF_CONFIG}` : 'cdktf context "magnum"';
  const sites = resolveSites(overrides ?? fromFile ?? fromContext ?? {}, source);
  new AllInOneStack(app, 'all-in-one', { site: sites['all-in-one'] });
  new FedoraCoreosStack(app, 'fedora-coreos', { site: sites['fedora-coreos'] });
}
