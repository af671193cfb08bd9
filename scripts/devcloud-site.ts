/**
 * Site overrides that point the example stacks at the local cloud (scripts/devcloud):
 * a small stand-in image file instead of a download (nothing may leave loopback),
 * the clouds.yaml entry `devcloud`, and this clone's compiled teardown CLI.
 *   node dist/scripts/devcloud-site.js > site.json   (then MAGNUM_CDKTF_CONFIG=site.json)
 */
import * as fs from 'fs';
import * as path from 'path';
import type { SiteOverrides } from '../stacks/config';
import { shellQuote } from './lib/shell-quote';

/** The project root: the nearest directory above this file with a package.json (same for the .ts and the compiled .js). */
function projectRoot(dir = __dirname): string {
  return fs.existsSync(path.join(dir, 'package.json')) ? dir : projectRoot(path.dirname(dir));
}

/** The overrides, creating the stand-in image under DEVCLOUD_HOME if it is missing. */
export function devcloudOverrides(home = process.env.DEVCLOUD_HOME ?? '/var/lib/magnum-cdktf-devcloud'): SiteOverrides {
  const image = path.join(home, 'images', 'stand-in.qcow2');
  if (!fs.existsSync(image)) {
    // Nova's fake driver boots nothing, and this Glance does not inspect formats: 1 MiB is enough.
    fs.mkdirSync(path.dirname(image), { recursive: true });
    fs.writeFileSync(image, Buffer.alloc(1 << 20));
  }
  return {
    // Debian 12 ships Magnum 15 (Zed), on which Fedora Atomic clusters cannot build (see MagnumDriver).
    'all-in-one': { osDistro: 'fedora-coreos' },
    '*': {
      imageFile: image,
      cloudName: 'devcloud',
      // A shell runs it (Terraform's local-exec): the clone's path is one word, whatever it holds.
      teardownCommand: `node ${shellQuote(path.join(projectRoot(), 'dist', 'bin', 'magnum-teardown.js'))}`,
    },
  };
}

if (require.main === module) {
  console.log(JSON.stringify(devcloudOverrides(), null, 2));
}
