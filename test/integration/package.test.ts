import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { consume, expectSynthesized, listing, pack, run } from '../support/package-consumer';

const root = path.join(__dirname, '..', '..');

describe('the npm package', () => {
  test('installs from its tarball into a fresh project, compiles with tsc and synthesizes', () => {
    // GIVEN the packed library
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
    run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.lib.json'], root);
    const tarball = pack(root, work);
    const files = listing(tarball);
    expect(files).toContain('package/dist/lib/index.d.ts');
    expect(files).toContain('package/dist/.gen/providers/openstack/containerinfra-cluster-v1/index.js');
    expect(files).not.toMatch(/package\/(test|stacks|scripts)\//);

    // WHEN a consumer installs it with its peers and compiles a stack against it
    const consumer = consume(work, tarball, {
      pkg: 'magnum-cdktf',
      cdk: 'cdktf',
      dependencies: ['cdktf@0.21.0', 'constructs@10.8.1', '@cdktf/provider-null@11.0.1', 'typescript@5.9'],
    });

    // THEN the stack synthesizes, bad input is refused by the package's own ValidationError, and Terraform accepts it
    expectSynthesized(consumer);
  }, 300_000);
});
