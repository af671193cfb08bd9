import * as os from 'os';
import { ClientOptions, OpenStackClient } from '../../runtime/openstack';
import { devcloudCredentials, devcloudProjectClient } from '../../devcloud';

/**
 * The teardown end-to-end tests work in a project of their own on the local cloud:
 * other engineers' clusters share the admin project and its quotas (10 security
 * groups), and a test must neither run out nor see their resources as its own.
 */
export const E2E_PROJECT = 'magnum-cdktf-teardown-e2e';

/** A client of the devcloud scoped to the e2e project (admin role: it also sees other projects' resources). */
export const e2eClient = (options: ClientOptions = {}): Promise<OpenStackClient> => devcloudProjectClient(E2E_PROJECT, options);

/** The devcloud's credentials as OS_* variables scoped to the e2e project (an openrc), in memory only. */
export function e2eOpenrc(): NodeJS.ProcessEnv {
  const c = devcloudCredentials();
  return {
    HOME: os.tmpdir(),
    OS_AUTH_URL: c.authUrl,
    OS_USERNAME: c.username,
    OS_PASSWORD: c.password,
    OS_USER_DOMAIN_NAME: c.userDomainName,
    OS_PROJECT_NAME: E2E_PROJECT,
    OS_PROJECT_DOMAIN_ID: 'default',
    OS_REGION_NAME: c.regionName,
  };
}
