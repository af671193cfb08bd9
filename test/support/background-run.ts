import { spawn } from 'child_process';

/** How a program run by {@link runInBackground} ended, and what it wrote. */
export interface BackgroundRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr as they came, interleaved. */
  readonly output: string;
}

/** Where and how long {@link runInBackground} runs a program. */
export interface BackgroundRunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Stopped with `killSignal` after this long. @default - no bound */
  readonly timeoutMs?: number;
  /** @default 'SIGTERM' */
  readonly killSignal?: NodeJS.Signals;
}

/**
 * Runs a program without blocking this process (argv, no shell), so that several run at once; resolves when it
 * ends, however it ends (rejects only when it cannot start).
 */
export function runInBackground(command: string, args: string[], options: BackgroundRunOptions = {}): Promise<BackgroundRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const both: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => (stdout.push(b), both.push(b)));
    child.stderr.on('data', (b: Buffer) => (stderr.push(b), both.push(b)));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill(options.killSignal ?? 'SIGTERM'), options.timeoutMs);
    child.on('error', (e) => (clearTimeout(timer), reject(e)));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
      resolve({ status, signal, stdout: text(stdout), stderr: text(stderr), output: text(both) });
    });
  });
}
