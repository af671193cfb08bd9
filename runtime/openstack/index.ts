/**
 * The destroy-time OpenStack client, as the other wings use it (the teardown, the local
 * cloud's scripts, bench, tests): cloud config, session, typed calls, errors, backoff, redaction.
 */
export * from './auth-failure';
export * from './backoff';
export * from './client';
export * from './cloud-config';
export * from './errors';
export * from './keystone';
export * from './redact';
export type {
  Cluster,
  FloatingIp,
  Listener,
  LoadBalancer,
  NamedObject,
  NodeGroupDetail,
  NodeGroupSummary,
  Pool,
  Port,
  RouterInterface,
  SecurityGroup,
  Server,
  StackResource,
  Volume,
} from './resources';
export { openStackTime } from './resources';
export * from './session';
