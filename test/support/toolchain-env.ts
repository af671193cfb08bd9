// Loads .toolchain/env (written by scripts/toolchain.sh) into the test process,
// so `npx jest` alone validates against the same Terraform CLI and provider
// mirror as `npm test`.
import * as fs from 'fs';
import * as path from 'path';

const file = path.join(__dirname, '..', '..', '.toolchain', 'env');
if (fs.existsSync(file)) {
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const body = line.replace(/^export\s+/, '');
    if (line.startsWith('#') || body === line) {
      continue;
    }
    // A value is shell words run together: '…' (toolchain.sh writes each ' inside as '\''), \x, or plain characters.
    for (const [, key, value] of body.matchAll(/([A-Z_][A-Z0-9_]*)=((?:'[^']*'|\\.|[^\s'\\])+)/g)) {
      process.env[key] = value.replace(/'([^']*)'|\\(.)/g, (_, quoted, escaped) => quoted ?? escaped);
    }
  }
}
