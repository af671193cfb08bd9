import * as os from 'os';
import { ClientOptions, OpenStackClient, resolveCloud } from '../../runtime/openstack';
import { devcloudClient, devcloudEnv } from '../../devcloud';

/**
 * The teardown end-to-end tests work in a project of their own on the local cloud:
 * other engineers' clusters share the admin project and its quotas (10 security
 * groups), and a test must neither run out nor see their resources as its own.
 */
export const E2E_PROJECT = 'magnum-cdktf-teardown-e2e';

/** Quotas generous enough for a few clusters' worth of cloud-provider resources. */
const NEUTRON_QUOTA = { security_group: 200, security_group_rule: 2000, port: 500, floatingip: 200, network: 50, subnet: 50, router: 20 };
const CINDER_QUOTA = { volumes: 200, gigabytes: 2000, snapshots: 50 };

let projectId: Promise<string> | undefined;

/** Creates the project once (idempotently), gives the devcloud admin the admin role in it, and raises its quotas. */
async function ensureProject(admin: OpenStackClient): Promise<string> {
  const { projects } = await admin.request('identity', 'GET', `/projects?name=${E2E_PROJECT}`);
  const id: string =
    projects[0]?.id ??
    (
      await admin.request('identity', 'POST', '/projects', {
        project: { name: E2E_PROJECT, domain_id: 'default', description: 'magnum-cdktf teardown end-to-end tests' },
      })
    ).project.id;
  const { roles } = await admin.request('identity', 'GET', '/roles?name=admin');
  await admin.request('identity', 'PUT', `/projects/${id}/users/${admin.session.userId}/roles/${roles[0].id}`);
  await admin.request('network', 'PUT', `/v2.0/quotas/${id}`, { quota: NEUTRON_QUOTA });
  await admin.request('block-storage', 'PUT', `/os-quota-sets/${id}`, { quota_set: CINDER_QUOTA });
  return id;
}

/** A client of the devcloud scoped to the e2e project (admin role: it also sees other projects' resources). */
export async function e2eClient(options: ClientOptions = {}): Promise<OpenStackClient> {
  const admin = await devcloudClient();
  projectId ??= ensureProject(admin);
  await projectId;
  const cloud = resolveCloud('devcloud', { ...process.env, ...devcloudEnv });
  return OpenStackClient.connect(
    {
      ...cloud,
      projectName: E2E_PROJECT,
      projectId: undefined,
      projectDomainName: undefined,
      projectDomainId: 'default',
      source: `${cloud.source}, project ${E2E_PROJECT}`,
    },
    options,
  );
}

/** The devcloud's credentials as OS_* variables scoped to the e2e project (an openrc), in memory only. */
export function e2eOpenrc(): NodeJS.ProcessEnv {
  const c = resolveCloud('devcloud', { ...process.env, ...devcloudEnv });
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
