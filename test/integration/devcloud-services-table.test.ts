import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * devcloud/services.table is the one place for each daemon's port, user, files and command;
 * these tests prove that the files which must agree with it do: each service's own file writes
 * the configuration its daemons read, commands read only files the table lists, the hooks are
 * named after services of the table. The table is read by the scripts' own reader (lib/table.sh), through
 * bash: an integration test. (That other folders import the wing only through devcloud/index.ts is a unit
 * test: test/unit/architecture.test.ts.)
 */

const wing = path.join(__dirname, '..', '..', 'devcloud');

/** One row as lib/table.sh reads it, placeholders {conf} and {plugins} left as they are. */
interface Row {
  readonly daemon: string;
  readonly service: string;
  readonly stage: string;
  readonly user: string;
  readonly port: string;
  readonly check: string;
  readonly inputs: string[];
  readonly command: string[];
}

// A literal program; the wing's path goes to it as an argument.
const DUMP = `DEVCLOUD_DIR=$1 CONF={conf} PLUGINS={plugins}
source "$1/lib/table.sh"
for d in "\${DAEMONS[@]}"; do
  printf '%s\\t' "$d" "\${T_SERVICE[$d]}" "\${T_STAGE[$d]}" "\${T_USER[$d]}" "\${T_PORT[$d]}" "\${T_CHECK[$d]}" \\
    "$(inputs_of "$d" | paste -sd,)" "$(command_of "$d" | paste -sd' ')"
  echo
done`;

function readTable(): Row[] {
  const run = spawnSync('bash', ['-c', DUMP, 'dump', wing], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [daemon, service, stage, user, port, check, inputs, command] = line.split('\t');
      return { daemon, service, stage, user, port, check, inputs: inputs ? inputs.split(',') : [], command: command.split(' ') };
    });
}

const rows = readTable();
const serviceFile = (service: string) => path.join(wing, 'services', `${service}.sh`);
const serviceText = (service: string) => (fs.existsSync(serviceFile(service)) ? fs.readFileSync(serviceFile(service), 'utf8') : '');

test('the table is read: every daemon the cloud runs, in start order', () => {
  expect(rows.map((r) => r.daemon)).toEqual([
    'mariadb',
    'rabbitmq',
    'etcd-discovery',
    'keystone',
    'glance-api',
    'neutron-server',
    'cinder-api',
    'cinder-scheduler',
    'cinder-volume',
    'heat-api',
    'heat-engine',
    'magnum-api',
    'magnum-conductor',
    'placement',
    'nova-api',
    'nova-conductor',
    'nova-scheduler',
    'nova-compute',
    'octavia-api',
    'octavia-worker',
    'boot-simulator',
  ]);
});

test('ports are unique, and a daemon has a port exactly when it has a health check', () => {
  const ports = rows.filter((r) => r.port).map((r) => r.port);
  expect(new Set(ports).size).toBe(ports.length);
  expect(rows.filter((r) => !!r.port !== !!r.check).map((r) => r.daemon)).toEqual([]);
  expect(rows.filter((r) => r.check && !/^(\/\S*|tcp)$/.test(r.check)).map((r) => r.daemon)).toEqual([]);
});

test('stages are the four up.sh knows', () => {
  expect(rows.filter((r) => !['base', 'identity', 'api', 'late'].includes(r.stage)).map((r) => r.daemon)).toEqual([]);
});

test("every configuration file a daemon reads is written by its service's own file", () => {
  const unwritten = rows.flatMap((r) =>
    r.inputs
      .filter((file) => {
        const uwsgi = /^\{conf\}\/(.+)-uwsgi\.ini$/.exec(file);
        if (uwsgi) return !serviceText(r.service).includes(`uwsgi_ini ${uwsgi[1]} `);
        if (file.startsWith('/etc/')) return !serviceText(r.service).includes(`> ${file}`);
        return false;
      })
      .map((file) => `${r.daemon}: ${file}`),
  );
  expect(unwritten).toEqual([]);
});

test('our own code a daemon reads exists in the wing', () => {
  const missing = rows.flatMap((r) =>
    r.inputs
      .filter((file) => !file.startsWith('/etc/') && !file.startsWith('{conf}'))
      .filter((file) => !fs.existsSync(path.join(wing, 'python', path.basename(file))))
      .map((file) => `${r.daemon}: ${file}`),
  );
  expect(missing).toEqual([]);
});

test('a command reads no configuration file that is not among its inputs (else a change would not restart it)', () => {
  const unlisted = rows.flatMap((r) =>
    r.command
      .filter((word, i) => ['--config-file', '--ini'].includes(r.command[i - 1] ?? '') || (i === 1 && word.endsWith('.py')))
      .filter((file) => !r.inputs.includes(file))
      .map((file) => `${r.daemon}: ${file}`),
  );
  expect(unlisted).toEqual([]);
});

test('every file in services/ is a service of the table, and its hooks carry its name', () => {
  const services = new Set(rows.map((r) => r.service));
  const files = fs.readdirSync(path.join(wing, 'services')).map((f) => f.replace(/\.sh$/, ''));
  expect(files.filter((f) => !services.has(f))).toEqual([]);
  const misnamed = files.flatMap((service) =>
    [...serviceText(service).matchAll(/^(\w+)_(conf|db|start|ready|down)\(\)/gm)]
      .filter((m) => m[1] !== service.replace(/-/g, '_'))
      .map((m) => `${service}.sh: ${m[0]}`),
  );
  expect(misnamed).toEqual([]);
});
