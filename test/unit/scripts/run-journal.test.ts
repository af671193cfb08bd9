import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { JOURNAL_DIR, lastDeployStart, recordDeployStart } from '../../../scripts/lib/run-journal';

describe('when a deploy of each stack last began applying from this checkout', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('none recorded: undefined; recorded: the last start, per stack, with no leftover temporary file', () => {
    expect(lastDeployStart(root, 'all-in-one')).toBeUndefined();
    recordDeployStart(root, 'all-in-one', new Date('2026-12-03T06:00:00Z'));
    recordDeployStart(root, 'all-in-one', new Date('2026-12-03T07:00:00Z'));
    recordDeployStart(root, 'fedora-coreos', new Date('2026-12-03T05:00:00Z'));
    expect(lastDeployStart(root, 'all-in-one')).toBe('2026-12-03T07:00:00.000Z');
    expect(lastDeployStart(root, 'fedora-coreos')).toBe('2026-12-03T05:00:00.000Z');
    expect(fs.readdirSync(path.join(root, JOURNAL_DIR)).sort()).toEqual(['all-in-one.json', 'fedora-coreos.json']);
  });

  test('a file that holds no time is as none', () => {
    fs.writeFileSync(path.join(root, JOURNAL_DIR, 'broken.json'), '{"startedAt": "yesterday"}');
    expect(lastDeployStart(root, 'broken')).toBeUndefined();
  });
});
