/**
 * Site overrides that point the example stacks at the local cloud:
 * a small stand-in image file instead of a download (nothing may leave loopback),
 * the clouds.yaml entry of the local cloud, and this clone's compiled teardown CLI.
 *   node dist/devcloud/site.js > site.json   (then MAGNUM_CDKTF_BASE_CONFIG=site.json; target.sh does this)
 */
import * as fs from 'fs';
import * as path from 'path';
import { shellQuote } from '../scripts/lib/shell-quote';
import type { SiteOverrides } from '../stacks/config';
import { DEVCLOUD_DEFAULTS, devcloudHome, projectRoot } from './defaults';

/** The overrides, creating the stand-in image under the cloud's home directory if it is missing. */
export function devcloudOverrides(home = devcloudHome()): SiteOverrides {
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
      cloudName: DEVCLOUD_DEFAULTS.cloud,
      // A shell runs it (Terraform's local-exec): the clone's path is one word, whatever it holds.
      teardownCommand: `node ${shellQuote(path.join(projectRoot(), 'dist', 'bin', 'magnum-teardown.js'))}`,
      // A throwaway cloud: the volumes of the clusters' persistent volume claims go with them.
      teardownIncludeVolumes: true,
    },
  };
}

if (require.main === module) {
  console.log(JSON.stringify(devcloudOverrides(), null, 2));
}
