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
  // Untyped until checked: a file or context holding null or a wrong shape is refused by name, never skipped.
  let chosen: unknown = overrides;
  let source = 'overrides';
  if (overrides === undefined && process.env.MAGNUM_CDKTF_CONFIG) {
    chosen = overridesFromFile();
    source = `MAGNUM_CDKTF_CONFIG=${process.env.MAGNUM_CDKTF_CONFIG}`;
  } else if (overrides === undefined) {
    const context: unknown = app.node.tryGetContext('magnum');
    chosen = context === undefined ? {} : context;
    source = 'cdktf context "magnum"';
  }
  const sites = resolveSites(chosen, source, app);
  new AllInOneStack(app, 'all-in-one', { site: sites['all-in-one'] });
  new FedoraCoreosStack(app, 'fedora-coreos', { site: sites['fedora-coreos'] });
}
