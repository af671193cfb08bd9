import * as fs from 'fs';
import * as path from 'path';
import { ClientOptions, OpenStackClient, resolveCloud } from '../runtime/openstack';
import { DEVCLOUD_DEFAULTS, devcloudHome } from './defaults';

/** The local cloud's clouds.yaml, written by devcloud/up.sh. */
export const DEVCLOUD_CLOUDS_YAML = path.join(devcloudHome(), DEVCLOUD_DEFAULTS.cloudsFile);

/** Environment that points the provider, the CLI and the client at the local cloud. */
export const devcloudEnv = { OS_CLIENT_CONFIG_FILE: DEVCLOUD_CLOUDS_YAML, OS_CLOUD: DEVCLOUD_DEFAULTS.cloud };

/** A client of the local cloud; fails (never skips) when the cloud is not up. */
export async function devcloudClient(options: ClientOptions = {}): Promise<OpenStackClient> {
  if (!fs.existsSync(DEVCLOUD_CLOUDS_YAML)) {
    throw new Error(`the local cloud is not up (${DEVCLOUD_CLOUDS_YAML} is missing). Fix: npm run cloud:up`);
  }
  return OpenStackClient.connect(resolveCloud(DEVCLOUD_DEFAULTS.cloud, { ...process.env, ...devcloudEnv }), options);
}
