/**
 * The destroy-time teardown, as the other wings use it (bin, bench, tests, the local
 * cloud's scripts): plan, execute, the Kubernetes step, the whole run, the audit, the CLI and its flags.
 */
export * from './audit';
export * from './cli';
export * from './cli-args';
export * from './cluster-delete';
export * from './cluster-facts';
export type { TeardownMode } from './drivers';
export * from './execute';
export * from './flags';
export * from './kubernetes-step';
export type { MagnumWaitOptions } from './magnum-delete';
export * from './matchers';
export * from './node-groups';
export * from './orphans';
export * from './plan';
export * from './run';
