import * as fs from 'fs';
import { ExampleSite } from './example-site';

/** Stack id → site values: the embedded default of every example stack. */
export const DEFAULT_SITES: Record<string, ExampleSite> = {
  // Kolla-Ansible's init-runonce EXT_NET_* defaults and its m1.small flavor;
  // the image URL of Kolla's Magnum guide.
  'all-in-one': {
    externalCidr: '10.0.2.0/24',
    externalGateway: '10.0.2.1',
    floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }],
    physicalNetwork: 'physnet1',
    imageUrl: 'https://download.fedoraproject.org/pub/alt/atomic/stable/Fedora-Atomic-27-20180419.0/CloudImages/x86_64/images/Fedora-Atomic-27-20180419.0.x86_64.qcow2',
    flavor: 'm1.small',
    masterFlavor: 'm1.small',
  },
  // DevStack's public range on a second physical network, so both stacks fit one cloud;
  // the Fedora CoreOS build Magnum's docs name for the Heat driver.
  'fedora-coreos': {
    externalCidr: '172.24.4.0/24',
    externalGateway: '172.24.4.1',
    floatingIpRanges: [{ start: '172.24.4.100', end: '172.24.4.200' }],
    physicalNetwork: 'physnet2',
    imageUrl: 'https://builds.coreos.fedoraproject.org/prod/streams/stable/builds/35.20220116.3.0/x86_64/fedora-coreos-35.20220116.3.0-openstack.x86_64.qcow2.xz',
    flavor: 'm1.small',
    masterFlavor: 'm1.small',
  },
};

const SITE_KEYS: (keyof ExampleSite)[] = ['osDistro', 'externalCidr', 'externalGateway', 'floatingIpRanges', 'physicalNetwork', 'imageUrl', 'imageFile', 'flavor', 'masterFlavor', 'cloudName', 'teardownCommand'];

/**
 * Overrides of the site values: `{ "<stack id>": { field: value }, "*": { … } }`,
 * where `*` applies to every stack. Read from the JSON file named by
 * `MAGNUM_CDKTF_CONFIG`, or the cdktf context key `magnum` (cdktf.json `context`).
 */
export type SiteOverrides = Record<string, Partial<ExampleSite>>;

/** Reads overrides from the environment's config file, if one is named. */
export function overridesFromFile(env: NodeJS.ProcessEnv = process.env): SiteOverrides | undefined {
  const file = env.MAGNUM_CDKTF_CONFIG;
  if (!file) {
    return undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`MAGNUM_CDKTF_CONFIG=${file}: cannot read it as JSON (${(e as Error).message}). Fix: point it at a JSON file like {"all-in-one": {"externalCidr": "192.168.1.0/24"}}.`);
  }
}

/** The defaults with `overrides` applied; unknown stacks and fields are refused by name. */
export function resolveSites(overrides: SiteOverrides = {}, source = 'config'): Record<string, ExampleSite> {
  for (const [stack, values] of Object.entries(overrides)) {
    if (stack !== '*' && !(stack in DEFAULT_SITES)) {
      throw new Error(`${source}: "${stack}" is not an example stack. Fix: use one of ${Object.keys(DEFAULT_SITES).join(', ')} or "*".`);
    }
    for (const key of Object.keys(values ?? {})) {
      if (!SITE_KEYS.includes(key as keyof ExampleSite)) {
        throw new Error(`${source}: ${stack}.${key} is not a site field. Fix: use one of ${SITE_KEYS.join(', ')}.`);
      }
    }
  }
  return Object.fromEntries(Object.entries(DEFAULT_SITES).map(([stack, site]) => [stack, { ...site, ...overrides['*'], ...overrides[stack] }]));
}
