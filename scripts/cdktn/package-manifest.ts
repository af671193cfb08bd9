/**
 * cdktn-pack.sh's step in a flavour made by cdktn-swap.sh: its package.json becomes magnum-cdktn's, the same
 * library built on CDK Terrain. Its peers are what the flavour installed and built against: cdktn at that
 * exact version (cdktf's peer is pinned the same way), and constructs in the range that cdktn itself asks for.
 * The null provider is no peer: it has no @cdktn package, and the build carries its generated binding.
 *   node dist/scripts/cdktn/package-manifest.js DIR
 */
import * as fs from 'fs';
import * as path from 'path';

/** The cdktn build's name. */
export const CDKTN_PACKAGE = 'magnum-cdktn';
const CDKTN_DESCRIPTION = " Built on CDK Terrain (cdktn), cdktf's maintained continuation.";

interface Manifest {
  name: string;
  description: string;
  peerDependencies: Record<string, string>;
  [field: string]: unknown;
}

/** `manifest` (the flavour's package.json) as magnum-cdktn's; `cdktn`: the installed cdktn's package.json. */
export function cdktnManifest(manifest: Manifest, cdktn: { version: string; peerDependencies?: Record<string, string> }): Manifest {
  const constructs = cdktn.peerDependencies?.constructs;
  if (!constructs) throw new Error(`cdktn ${cdktn.version} names no constructs peer: the range the package asks for cannot be read`);
  // Run twice on one flavour, the description is still said once.
  const description = manifest.description.endsWith(CDKTN_DESCRIPTION) ? manifest.description : `${manifest.description}${CDKTN_DESCRIPTION}`;
  return {
    ...manifest,
    name: CDKTN_PACKAGE,
    description,
    peerDependencies: { cdktn: cdktn.version, constructs },
  };
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? '.');
  const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
  const file = path.join(dir, 'package.json');
  const manifest = cdktnManifest(read(file), read(path.join(dir, 'node_modules', 'cdktn', 'package.json')));
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
