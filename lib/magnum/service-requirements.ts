import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { App, AssetType, TerraformAsset } from 'cdktf';
import { IVolumeType } from '../storage/volume-type';

/** What the cloud's Magnum service must be configured with, as templates see it. */
export interface IMagnumServiceRequirements {
  /** `[trust] cluster_user_trust` in magnum.conf. */
  readonly clusterUserTrust: boolean;
  /** Whether Octavia (the master load balancer's provider) is deployed. */
  readonly octaviaEnabled: boolean;
  /** `[cinder] default_docker_volume_type` in magnum.conf, if set. */
  readonly defaultDockerVolumeType?: IVolumeType;
}

/**
 * Default of {@link MagnumServiceRequirementsProps.clusterUserTrust}: what the cloud provider needs, which
 * templates enable by default (DEFAULT_CLOUD_PROVIDER_ENABLED). Kolla-Ansible's own default is off.
 */
export const DEFAULT_CLUSTER_USER_TRUST: boolean = true;
/** Default of {@link MagnumServiceRequirementsProps.octaviaEnabled}: what the master load balancer needs, which templates enable by default. */
export const DEFAULT_OCTAVIA_ENABLED: boolean = true;

/** Props of {@link MagnumServiceRequirements}. */
export interface MagnumServiceRequirementsProps {
  /**
   * Whether magnum.conf sets `[trust] cluster_user_trust = True`. Without it,
   * a cluster whose template enables the cloud provider fails at create.
   * @default DEFAULT_CLUSTER_USER_TRUST - required by cloud_provider_enabled
   * (Kolla-Ansible's own default is off: apply the emitted globals.yml)
   */
  readonly clusterUserTrust?: boolean;
  /**
   * Whether Octavia is deployed (`enable_octavia`); the master load balancer needs it.
   * @default DEFAULT_OCTAVIA_ENABLED
   */
  readonly octaviaEnabled?: boolean;
  /**
   * The volume type magnum.conf names as `default_docker_volume_type`. Without
   * one, Magnum takes Cinder's first listed type, or fails with
   * `Valid volume type could not be found.` when there is none.
   * @default - none
   */
  readonly defaultDockerVolumeType?: IVolumeType;
}

/**
 * The service-side settings a Magnum platform needs, made explicit: templates
 * are checked against them at synth time, and they are emitted as a
 * Kolla-Ansible `globals.yml` fragment and a `magnum.conf` fragment (files in
 * the stack's synth output, under `assets/`).
 */
export class MagnumServiceRequirements extends Construct implements IMagnumServiceRequirements {
  public readonly clusterUserTrust: boolean;
  public readonly octaviaEnabled: boolean;
  public readonly defaultDockerVolumeType?: IVolumeType;
  /** The Kolla-Ansible `globals.yml` fragment (apply with `kolla-ansible reconfigure -t magnum`). */
  public readonly globalsYml: string;
  /** The `magnum.conf` fragment, for clouds not deployed by Kolla-Ansible. */
  public readonly magnumConf: string;
  /** The emitted `globals.yml` file in the synth output. */
  public readonly globalsYmlAsset: TerraformAsset;
  /** The emitted `magnum.conf` file in the synth output. */
  public readonly magnumConfAsset: TerraformAsset;

  constructor(scope: Construct, id: string, props: MagnumServiceRequirementsProps = {}) {
    super(scope, id);
    this.clusterUserTrust = props.clusterUserTrust ?? DEFAULT_CLUSTER_USER_TRUST;
    this.octaviaEnabled = props.octaviaEnabled ?? DEFAULT_OCTAVIA_ENABLED;
    this.defaultDockerVolumeType = props.defaultDockerVolumeType;
    this.globalsYml = renderGlobalsYml(this);
    this.magnumConf = renderMagnumConf(this);
    this.globalsYmlAsset = emit(this, 'GlobalsYml', 'globals.yml', this.globalsYml);
    this.magnumConfAsset = emit(this, 'MagnumConf', 'magnum.conf', this.magnumConf);
  }
}

function yesNo(value: boolean): string {
  return value ? '"yes"' : '"no"';
}

function renderGlobalsYml(r: IMagnumServiceRequirements): string {
  const lines = [
    '# Kolla-Ansible globals.yml fragment written by magnum-cdktf (MagnumServiceRequirements).',
    '# Merge into /etc/kolla/globals.yml, then: kolla-ansible reconfigure -t magnum',
    'enable_magnum: "yes"',
    `enable_octavia: ${yesNo(r.octaviaEnabled)}`,
    // Renders [trust] cluster_user_trust; Kolla's default is "no" (CVE-2016-7404 trade-off).
    `enable_cluster_user_trust: ${yesNo(r.clusterUserTrust)}`,
  ];
  if (r.defaultDockerVolumeType) {
    // Kolla renders default_docker_volume_type into magnum.conf only with Cinder enabled.
    lines.push('enable_cinder: "yes"', `default_docker_volume_type: "${r.defaultDockerVolumeType.volumeTypeName}"`);
  }
  return `${lines.join('\n')}\n`;
}

function renderMagnumConf(r: IMagnumServiceRequirements): string {
  const lines = [
    '# magnum.conf fragment written by magnum-cdktf (MagnumServiceRequirements).',
    '[trust]',
    `cluster_user_trust = ${r.clusterUserTrust ? 'True' : 'False'}`,
  ];
  if (r.defaultDockerVolumeType) {
    lines.push('', '[cinder]', `default_docker_volume_type = ${r.defaultDockerVolumeType.volumeTypeName}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `content` where the asset copies it from at synth: under the app's outdir (the synth
 * output, which cdktf rewrites at every synth), in a folder per content, so that constructing
 * this leaves nothing in the temporary directory, even when the synth is interrupted.
 */
function emit(scope: Construct, id: string, name: string, content: string): TerraformAsset {
  const dir = path.resolve(App.of(scope).outdir, '.magnum-requirements', createHash('sha256').update(content).digest('hex').slice(0, 16));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return new TerraformAsset(scope, id, { path: file, type: AssetType.FILE });
}
