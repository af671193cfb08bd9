// Three tiers, one folder each (README "Layout"): test/unit needs node alone, test/integration real tools
// (Terraform and the provider from .toolchain/env, PostgreSQL, the compiled app), test/e2e the local cloud.
// `roots` keeps jest out of .gen/ and node_modules, and `npx jest test/unit` to the unit tier.
const tier = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  roots: [`<rootDir>/test/${name}`],
  testMatch: ['**/*.test.ts'],
  // ts-jest transpiles only (isolatedModules in tsconfig.test.json); `npm run typecheck` checks types.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  setupFilesAfterEnv: ['<rootDir>/test/setup-jest.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdktf.out/', '<rootDir>/.tmp/'],
  snapshotFormat: { printBasicPrototype: false },
  ...extra,
});
// Only the tiers that run Terraform load .toolchain/env: a unit test that reached for it would fail.
const toolchain = { setupFiles: ['<rootDir>/test/support/toolchain-env.ts'] };

// e2e files share the stacks' state files and the one cloud: their environment runs them one at a time,
// after a sweep of what an earlier, interrupted run left in the cloud.
const oneAtATime = { testEnvironment: '<rootDir>/test/support/e2e-environment.ts', globalSetup: '<rootDir>/test/support/e2e-sweep.ts' };

/** @type {import('jest').Config} */
module.exports = {
  // Files that wait for a build npm test runs in the background go last (the sequencer says why).
  testSequencer: '<rootDir>/test/support/sequencer.js',
  projects: [tier('unit'), tier('integration', toolchain), tier('e2e', { ...toolchain, ...oneAtATime })],
};
