#!/usr/bin/env node
/**
 * magnum-cdktf-teardown: deletes what Kubernetes' OpenStack cloud provider created
 * for one Magnum cluster, and only that; `audit` lists what deleted clusters left.
 * All logic lives in runtime/teardown/cli.ts; this file wires it to the process.
 */
import { spawn } from 'child_process';
import { runCli } from '../runtime/teardown/cli';

/** Runs this script again with more environment and passes its exit code on. */
function respawn(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const controller = new AbortController();
// First SIGINT/SIGTERM: stop starting work and report; a second one kills (default handler).
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());

runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
  respawn,
}).then((code) => {
  process.exitCode = code;
});
