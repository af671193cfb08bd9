import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DataResource, TerraformStack } from 'cdktf';
import { configureBackend } from '../../stacks';
import { terraformBinary } from '../../scripts/lib/terraform';
import { LocalPostgres, startPostgres } from '../support/postgres';
import { runInBackground } from '../support/background-run';

/** The same stack deployed from two workstations: its create holds the lock for a few seconds. */
class TeamStack extends TerraformStack {
  constructor(app: App, id: string) {
    super(app, id);
    configureBackend(this, { MAGNUM_CDKTF_BACKEND: 'pg' });
    new DataResource(this, 'slow', {
      input: { purpose: 'team state' },
      provisioners: [{ type: 'local-exec', command: 'sleep 6' }],
    });
  }
}

let pg: LocalPostgres;
let workstations: string[];

const env = () => ({ ...process.env, PG_CONN_STR: pg.connStr, TF_IN_AUTOMATION: '1' });
const tf = (dir: string, args: string[]) =>
  runInBackground(terraformBinary, [...args, '-no-color'], { cwd: dir, env: env() }).then((run) => ({ code: run.status, output: run.output }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  pg = await startPostgres();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'team-'));
  const app = new App({ outdir });
  new TeamStack(app, 'team');
  app.synth();
  workstations = ['alice', 'bob'].map((name) => {
    const dir = path.join(outdir, name);
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(outdir, 'stacks', 'team', 'cdk.tf.json'), path.join(dir, 'cdk.tf.json'));
    execFileSync(terraformBinary, ['init', '-input=false', '-no-color'], { cwd: dir, env: env(), stdio: 'pipe' });
    return dir;
  });
}, 120_000);

afterAll(() => pg?.stop());

describe('team state in PostgreSQL', () => {
  test('the synthesized backend holds no connection string: credentials stay in PG_CONN_STR', () => {
    const json = JSON.parse(fs.readFileSync(path.join(workstations[0], 'cdk.tf.json'), 'utf8'));
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'magnum_cdktf_team' } });
  });

  test('two deploys at once: one fails on the lock, then one waits for it; the state stays whole', async () => {
    const [alice, bob] = workstations;
    // Alice deploys; Bob starts while she holds the lock and refuses to wait.
    const first = tf(alice, ['apply', '-auto-approve', '-input=false']);
    await sleep(2500);
    const impatient = await tf(bob, ['apply', '-auto-approve', '-input=false', '-lock-timeout=0s']);
    expect(impatient.code).not.toBe(0);
    expect(impatient.output).toContain('Error acquiring the state lock');
    expect((await first).code).toBe(0);

    // Alice replaces the resource; Bob waits for her lock this time, then finds nothing to do.
    const second = tf(alice, ['apply', '-auto-approve', '-input=false', '-replace=terraform_data.slow']);
    await sleep(2500);
    const patient = await tf(bob, ['apply', '-auto-approve', '-input=false', '-lock-timeout=60s']);
    expect((await second).code).toBe(0);
    expect(patient.code).toBe(0);
    expect(patient.output).toMatch(/No changes|0 added, 0 changed, 0 destroyed/);

    // Both see one resource and no drift.
    for (const dir of [alice, bob]) {
      const list = await tf(dir, ['state', 'list']);
      expect(list.output.trim().split('\n')).toEqual(['terraform_data.slow']);
      expect((await tf(dir, ['plan', '-detailed-exitcode', '-input=false'])).code).toBe(0);
    }
  }, 180_000);
});
