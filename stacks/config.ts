import * as fs from 'fs';
import { Construct, IConstruct } from 'constructs';
import { ValidationError } from '../lib';
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
    imageUrl:
      'https://download.fedoraproject.org/pub/alt/atomic/stable/Fedora-Atomic-27-20180419.0/CloudImages/x86_64/images/Fedora-Atomic-27-20180419.0.x86_64.qcow2',
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
    imageUrl:
      'https://builds.coreos.fedoraproject.org/prod/streams/stable/builds/35.20220116.3.0/x86_64/fedora-coreos-35.20220116.3.0-openstack.x86_64.qcow2.xz',
    flavor: 'm1.small',
    masterFlavor: 'm1.small',
  },
};

/** What each site field holds in a JSON config: every field, once (the keys are the accepted names). */
const SITE_FIELDS: Record<keyof ExampleSite, 'text' | 'ranges' | 'flag'> = {
  osDistro: 'text',
  externalCidr: 'text',
  externalGateway: 'text',
  floatingIpRanges: 'ranges',
  physicalNetwork: 'text',
  imageUrl: 'text',
  imageFile: 'text',
  flavor: 'text',
  masterFlavor: 'text',
  cloudName: 'text',
  teardownCommand: 'text',
  teardownIncludeVolumes: 'flag',
};
const SITE_KEYS = Object.keys(SITE_FIELDS) as (keyof ExampleSite)[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRange = (v: unknown) => isObject(v) && typeof v.start === 'string' && typeof v.end === 'string' && Object.keys(v).length === 2;

/**
 * Checks the shape of overrides that arrive untyped (a JSON file, the cdktf context), so a
 * wrong shape or a null is a ValidationError naming the key, never a TypeError further in.
 */
function checkOverrides(scope: IConstruct, overrides: unknown, source: string): asserts overrides is SiteOverrides {
  const where = `(from ${source})`;
  if (!isObject(overrides)) {
    throw new ValidationError(
      scope,
      source,
      overrides,
      'is not an object of stack ids',
      `write { "all-in-one": { "externalCidr": "192.168.1.0/24" }, "*": { … } }`,
    );
  }
  for (const [stack, values] of Object.entries(overrides)) {
    if (stack !== '*' && !(stack in DEFAULT_SITES)) {
      throw new ValidationError(scope, stack, values, `is not an example stack ${where}`, `use one of ${Object.keys(DEFAULT_SITES).join(', ')} or "*"`);
    }
    if (!isObject(values)) {
      throw new ValidationError(scope, stack, values, `is not an object of site fields ${where}`, `write { "externalCidr": "…", … }, or remove "${stack}"`);
    }
    for (const [key, value] of Object.entries(values)) {
      const kind = SITE_FIELDS[key as keyof ExampleSite];
      if (kind === undefined) {
        throw new ValidationError(scope, `${stack}.${key}`, value, `is not a site field ${where}`, `use one of ${SITE_KEYS.join(', ')}`);
      }
      if (kind === 'text' && (typeof value !== 'string' || value.trim() === '')) {
        throw new ValidationError(
          scope,
          `${stack}.${key}`,
          value,
          `is not a non-empty string ${where}`,
          `give "${key}" a string, or remove it to keep the default`,
        );
      }
      if (kind === 'flag' && typeof value !== 'boolean') {
        throw new ValidationError(
          scope,
          `${stack}.${key}`,
          value,
          `is not true or false ${where}`,
          `give "${key}" true or false, or remove it to keep the default`,
        );
      }
      if (kind === 'ranges' && (!Array.isArray(value) || value.length === 0 || !value.every(isRange))) {
        throw new ValidationError(
          scope,
          `${stack}.${key}`,
          value,
          `is not a list of { start, end } ranges ${where}`,
          `write [{ "start": "10.0.2.150", "end": "10.0.2.199" }]`,
        );
      }
    }
  }
}

/**
 * Overrides of the site values: `{ "<stack id>": { field: value }, "*": { … } }`,
 * where `*` applies to every stack and a stack id to that stack alone.
 */
export type SiteOverrides = Record<string, Partial<ExampleSite>>;

/** The variable naming the user's own overrides file: the top layer. */
export const CONFIG_ENV = 'MAGNUM_CDKTF_CONFIG';
/**
 * The variable naming the target cloud's overrides file, the layer under everything the
 * user writes: devcloud/target.sh sets it to the local cloud's when that cloud is the target.
 */
export const BASE_CONFIG_ENV = 'MAGNUM_CDKTF_BASE_CONFIG';
/** The cdktf context key of overrides (cdktf.json `context`). */
export const CONTEXT_KEY = 'magnum';

/** One layer of overrides, untyped until checked, and where it came from (refusals name it). */
export interface OverrideLayer {
  /** The overrides as read: refused by name unless they are {@link SiteOverrides}. */
  readonly overrides: unknown;
  /** Where they came from, e.g. `MAGNUM_CDKTF_CONFIG=site.json`. */
  readonly source: string;
}

/** Reads the overrides file that `variable` names in `env`, if one is named. */
export function overridesFromFile(env: NodeJS.ProcessEnv = process.env, variable = CONFIG_ENV): OverrideLayer | undefined {
  const file = env[variable];
  if (!file) {
    return undefined;
  }
  const source = `${variable}=${file}`;
  try {
    return { overrides: JSON.parse(fs.readFileSync(file, 'utf8')), source };
  } catch (e) {
    throw new Error(
      `${source}: cannot read it as JSON (${(e as Error).message}). Fix: point it at a JSON file like {"all-in-one": {"externalCidr": "192.168.1.0/24"}}.`,
    );
  }
}

/**
 * The layers of overrides in force, lowest first: the target cloud's file ({@link BASE_CONFIG_ENV}),
 * the cdktf context key {@link CONTEXT_KEY}, the user's file ({@link CONFIG_ENV}). Each is optional.
 * The user's own settings come last, the file of one run over the project's committed context, so
 * that what the user wrote wins over what the target supplies unseen.
 */
export function overrideLayers(scope: IConstruct, env: NodeJS.ProcessEnv = process.env): OverrideLayer[] {
  const context: unknown = scope.node.tryGetContext(CONTEXT_KEY);
  const fromContext = context === undefined ? undefined : { overrides: context, source: `cdktf context "${CONTEXT_KEY}"` };
  return [overridesFromFile(env, BASE_CONFIG_ENV), fromContext, overridesFromFile(env, CONFIG_ENV)].filter((l): l is OverrideLayer => l !== undefined);
}

/**
 * The defaults with `layers` applied field by field, lowest layer first, each layer whole
 * (its `*`, then the stack's own entry) before the next: base `*` < base stack < user `*` <
 * user stack. A layer's `*` thus beats a lower layer's stack entry: a user who writes
 * `"*": { "flavor": … }` means every stack, whatever the target's file says of one.
 * Unknown stacks and fields, and values of the wrong shape, are refused by name and
 * source (a ValidationError on `scope`, the app).
 */
export function resolveSites(
  layers: OverrideLayer[] = [],
  scope: IConstruct = new Construct(undefined as unknown as Construct, ''),
): Record<string, ExampleSite> {
  const checked = layers.map(({ overrides, source }) => {
    checkOverrides(scope, overrides, source);
    return overrides;
  });
  return Object.fromEntries(
    Object.entries(DEFAULT_SITES).map(([stack, site]) => [stack, Object.assign({}, site, ...checked.flatMap((o) => [o['*'], o[stack]]))]),
  );
}
