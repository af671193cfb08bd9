import { ClientOptions, OpenStackClient, resolveCloud } from '../runtime/openstack';
import { devcloudClient, devcloudEnv } from './client';
import { DEVCLOUD_DEFAULTS } from './defaults';

/**
 * Projects of their own on the local cloud, for the e2e tests and the bench: other engineers' clusters share
 * the admin project and its quotas (10 security groups), and a test must neither run out nor see their
 * resources as its own.
 */

/** Quotas generous enough for a few clusters' worth of cloud-provider resources, or the bench's 50 of each. */
const NEUTRON_QUOTA = { security_group: 200, security_group_rule: 2000, port: 500, floatingip: 200, network: 50, subnet: 50, router: 20 };
const CINDER_QUOTA = { volumes: 200, gigabytes: 2000, snapshots: 50 };

const projectIds = new Map<string, Promise<string>>();

/** Creates the project once (idempotently), gives the devcloud admin the admin role in it, and raises its quotas. */
async function ensureProject(admin: OpenStackClient, name: string): Promise<string> {
  const { projects } = await admin.request('identity', 'GET', `/projects?name=${encodeURIComponent(name)}`);
  const id: string =
    projects[0]?.id ??
    (
      await admin.request('identity', 'POST', '/projects', {
        project: { name, domain_id: 'default', description: `magnum-cdktf: ${name}` },
      })
    ).project.id;
  const { roles } = await admin.request('identity', 'GET', '/roles?name=admin');
  await admin.request('identity', 'PUT', `/projects/${id}/users/${admin.session.userId}/roles/${roles[0].id}`);
  await admin.request('network', 'PUT', `/v2.0/quotas/${id}`, { quota: NEUTRON_QUOTA });
  await admin.request('block-storage', 'PUT', `/os-quota-sets/${id}`, { quota_set: CINDER_QUOTA });
  return id;
}

/** The devcloud's credentials (admin) resolved from its clouds.yaml. */
export const devcloudCredentials = () => resolveCloud(DEVCLOUD_DEFAULTS.cloud, { ...process.env, ...devcloudEnv });

/** A client of the devcloud scoped to a project of its own (admin role there: it also sees other projects' resources). */
export async function devcloudProjectClient(project: string, options: ClientOptions = {}): Promise<OpenStackClient> {
  const admin = await devcloudClient();
  if (!projectIds.has(project)) projectIds.set(project, ensureProject(admin, project));
  await projectIds.get(project);
  const cloud = devcloudCredentials();
  return OpenStackClient.connect(
    {
      ...cloud,
      projectName: project,
      projectId: undefined,
      projectDomainName: undefined,
      projectDomainId: 'default',
      source: `${cloud.source}, project ${project}`,
    },
    options,
  );
}
