/**
 * The local cloud as the other wings use it (tests, bench, scripts): its client and clouds.yaml,
 * the cloud-provider simulator, the example stacks' site overrides, and its defaults.
 */
export * from './client';
export * from './cloud-provider';
export * from './database';
export * from './memory';
export * from './project';
export { DEVCLOUD_DEFAULTS, devcloudHome } from './defaults';
export { devcloudOverrides } from './site';
