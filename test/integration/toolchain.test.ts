import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

/** Runs scripts/toolchain.sh from a temp copy of scripts/ and tools/, so the clone's .toolchain is untouched. */
function runToolchain(env: Record<string, string>): { status: number | null; stderr: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolchain-'));
  fs.cpSync(path.join(root, 'scripts'), path.join(dir, 'scripts'), { recursive: true });
  fs.cpSync(path.join(root, 'tools'), path.join(dir, 'tools'), { recursive: true });
  const result = spawnSync('bash', [path.join(dir, 'scripts', 'toolchain.sh')], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr, dir };
}

const read = (file: string) => fs.readFileSync(file, 'utf8');

describe('scripts/toolchain.sh', () => {
  test('with the registry reachable, plain init is used: no CLI config, no mirror', () => {
    const run = runToolchain({ MAGNUM_CDKTF_PROVIDERS: 'registry' });
    expect(run.status).toBe(0);
    const env = read(path.join(run.dir, '.toolchain', 'env'));
    expect(env).toContain('export MAGNUM_CDKTF_PROVIDERS_MODE=registry');
    expect(env).not.toContain('TF_CLI_CONFIG_FILE');
    expect(fs.existsSync(path.join(run.dir, '.toolchain', 'terraformrc'))).toBe(false);
  });

  test('without it, a filesystem mirror of both providers, for both registry hosts', () => {
    const run = runToolchain({
      MAGNUM_CDKTF_PROVIDERS: 'mirror',
      MAGNUM_CDKTF_CACHE: process.env.MAGNUM_CDKTF_CACHE ?? path.join(os.homedir(), '.cache', 'magnum-cdktf'),
    });
    expect(run.status).toBe(0);
    const env = read(path.join(run.dir, '.toolchain', 'env'));
    expect(env).toContain(`export TF_CLI_CONFIG_FILE='${path.join(run.dir, '.toolchain', 'terraformrc')}'`);
    const rc = read(path.join(run.dir, '.toolchain', 'terraformrc'));
    for (const source of ['registry.terraform.io/terraform-provider-openstack/openstack', 'registry.opentofu.org/hashicorp/null']) {
      expect(rc).toContain(`"${source}"`);
    }
    expect(rc).toMatch(/filesystem_mirror \{\n\s+path\s+= ".*\/mirror"/);
  });

  test('uses tofu when terraform is not installed', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'bin-'));
    fs.writeFileSync(path.join(bin, 'tofu'), '#!/bin/sh\necho "OpenTofu v1.10.10"\n', { mode: 0o755 });
    // A PATH with the basics and the fake tofu, but no terraform.
    const basics = fs.mkdtempSync(path.join(os.tmpdir(), 'basics-'));
    for (const tool of ['bash', 'cat', 'sha256sum', 'cut', 'date', 'awk', 'mkdir', 'rm', 'uname', 'tr', 'basename', 'dirname', 'getent']) {
      const found = spawnSync('bash', ['-c', 'command -v "$1"', 'bash', tool], { encoding: 'utf8' }).stdout.trim();
      if (found) fs.symlinkSync(found, path.join(basics, tool));
    }
    const run = runToolchain({ MAGNUM_CDKTF_PROVIDERS: 'registry', PATH: `${bin}:${basics}` });
    expect(run.stderr).toContain(`terraform CLI: ${bin}/tofu`);
    expect(read(path.join(run.dir, '.toolchain', 'env'))).toContain(`export TERRAFORM_BINARY_NAME='${bin}/tofu'`);
  });

  test('refuses an unknown provider mode with the fix', () => {
    const run = runToolchain({ MAGNUM_CDKTF_PROVIDERS: 'cache' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("MAGNUM_CDKTF_PROVIDERS must be auto, registry or mirror, not 'cache'");
  });
});
