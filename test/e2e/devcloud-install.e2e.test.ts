import * as fs from 'fs';
import * as path from 'path';
import { run } from '../support/package-consumer';

/**
 * The local cloud's install defers the Debian packages' byte-compiling (devcloud/lib/install.sh: the postinsts'
 * `py3compile` calls are recorded, then run after the install). Nothing else shows whether the
 * recorded calls ran: a service whose modules are not compiled still starts, compiling them in memory at every
 * start (it cannot write its cache). So: every module of every Debian Python package here has its cache file.
 */
const DIST_PACKAGES = '/usr/lib/python3/dist-packages/';

describe("the local cloud's install", () => {
  test('byte-compiled the modules of every Debian Python package, as their postinsts would have', () => {
    // GIVEN the Python packages installed here (the cloud's, installed by the e2e tier's devcloud/up.sh)
    const packages = run('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n'], '/')
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([name, status]) => name?.startsWith('python3-') && status === 'installed')
      .map(([name]) => name);
    expect(packages).toContain('python3-nova');
    // WHEN each module they install is looked for in its __pycache__, as Python 3 imports it
    const tag = run('python3', ['-c', 'import sys; print(sys.implementation.cache_tag)'], '/').trim();
    const modules = run('dpkg-query', ['-L', ...packages], '/')
      .split('\n')
      .filter((f) => f.startsWith(DIST_PACKAGES) && f.endsWith('.py') && fs.statSync(f, { throwIfNoEntry: false })?.isFile());
    const uncompiled = modules.filter((f) => !fs.existsSync(path.join(path.dirname(f), '__pycache__', `${path.basename(f, '.py')}.${tag}.pyc`)));
    // THEN there are thousands, and none lacks its compiled form
    expect(modules.length).toBeGreaterThan(10_000);
    expect(uncompiled.slice(0, 20)).toEqual([]);
  }, 120_000);
});
