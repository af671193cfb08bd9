import { spawn } from 'child_process';

/**
 * Holds every write to one table of the local cloud's MariaDB until the returned function is called, while
 * reads go on: `LOCK TABLES … READ` in a session of its own, as root over the socket (as devcloud/lib/config.sh
 * connects). For a test that needs a service's write to come late and everything else on time. The lock is the
 * session's: should the caller die, the client's stdin closes, the session ends and the lock with it.
 */
export async function holdWrites(database: string, table: string): Promise<() => Promise<void>> {
  for (const name of [database, table]) if (!/^\w+$/.test(name)) throw new Error(`holdWrites: '${name}' is not a plain table or database name`);
  const client = spawn('mysql', ['-uroot', '--unbuffered', '--batch', '--skip-column-names'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => client.on('close', resolve));
  let gone = false;
  // Locked once the client has printed the marker; not when it ended first, nor after 30 s.
  const held = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 30_000);
    const read = (d: Buffer) => {
      output += d;
      if (/^held$/m.test(output)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    client.stdout.on('data', read);
    client.stderr.on('data', read);
    void exited.then(() => {
      gone = true;
      clearTimeout(timer);
      resolve(false);
    });
  });
  // A client that died (the lock gone with its session) must not take this process with it on the next write.
  client.stdin.on('error', () => undefined);
  client.stdin.write(`LOCK TABLES \`${database}\`.\`${table}\` READ; SELECT 'held';\n`);
  if (!(await held)) {
    client.kill();
    throw new Error(`could not lock ${database}.${table} for writes (mysql -uroot): ${output.trim() || 'no answer in 30 s'}`);
  }
  let released: Promise<void> | undefined;
  return () =>
    (released ??= (async () => {
      if (gone) return; // its session, and the lock with it, ended already
      client.stdin.end('UNLOCK TABLES;\n');
      const code = await exited;
      if (code !== 0) throw new Error(`releasing ${database}.${table} (mysql -uroot) ended with exit ${code}: ${output.trim()}`);
    })());
}
