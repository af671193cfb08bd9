import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { shellQuote } from '../../scripts/lib/shell-quote';

/** A throwaway PostgreSQL on 127.0.0.1, run as the `postgres` user from Debian's package. */
export interface LocalPostgres {
  /** libpq connection string for Terraform's pg backend (trust auth: no password exists). */
  readonly connStr: string;
  /** Stops the server and removes its data. */
  stop(): void;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const version = fs.readdirSync(base).sort().pop();
  if (!version) {
    throw new Error("PostgreSQL is not installed: scripts/test.sh installs Debian's postgresql package");
  }
  return path.join(base, version, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Creates a cluster in a temp dir and starts it; PostgreSQL refuses to run as root. */
export async function startPostgres(): Promise<LocalPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-'));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asPostgres = (cmd: string, args: string[]) =>
    execFileSync('setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', path.join(binDir(), cmd), ...args], { stdio: 'pipe', cwd: dir });
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  // pg_ctl hands -o to /bin/sh on the postgres command line: the socket directory is quoted for it.
  asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${shellQuote(dir)}`, 'start']);
  return {
    connStr: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop: () => {
      asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
