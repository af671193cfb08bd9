import * as fs from 'fs';
import { resolveCloud } from '../../lib/teardown/cloud-config';
import { ClientOptions, OpenStackClient } from '../../lib/teardown/openstack-client';

/** The local cloud's clouds.yaml, written by scripts/devcloud/up.sh. */
export const DEVCLOUD_CLOUDS_YAML = `${process.env.DEVCLOUD_HOME ?? '/var/lib/magnum-cdktf-devcloud'}/clouds.yaml`;

/** Environment that points the provider, the CLI and the client at the local cloud. */
export const devcloudEnv = { OS_CLIENT_CONFIG_FILE: DEVCLOUD_CLOUDS_YAML, OS_CLOUD: 'devcloud' };

/** A client of the local cloud; fails (never skips) when the cloud is not up. */
export async function devcloudClient(options: ClientOptions = {}): Promise<OpenStackClient> {
  if (!fs.existsSync(DEVCLOUD_CLOUDS_YAML)) {
    throw new Error(`the local cloud is not up (${DEVCLOUD_CLOUDS_YAML} is missing). Fix: npm run cloud:up`);
  }
  return OpenStackClient.connect(resolveCloud('devcloud', { ...process.env, ...devcloudEnv }), options);
}
