/**
 * cdktn-swap.sh's first step in the copy: the null provider has no @cdktn package, so its binding
 * is generated like OpenStack's, from the version @cdktf/provider-null 11 pins exactly.
 *   node dist/scripts/cdktn/pin-null-provider.js DIR
 */
import * as fs from 'fs';
import * as path from 'path';

/** Adds hashicorp/null to DIR/cdktf.json's terraformProviders. */
export function pinNullProvider(dir: string): void {
  const file = path.join(dir, 'cdktf.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  config.terraformProviders.push('hashicorp/null@=3.2.4');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
}

if (require.main === module) {
  pinNullProvider(process.argv[2] ?? '.');
}
