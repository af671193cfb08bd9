// Tests live in test/ only: without `roots`, jest crawls .gen/ and node_modules.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // ts-jest transpiles only (isolatedModules in tsconfig.test.json); `npm run typecheck` checks types.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  setupFiles: ['<rootDir>/test/support/toolchain-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-jest.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdktf.out/', '<rootDir>/.tmp/'],
  snapshotFormat: { printBasicPrototype: false },
};
