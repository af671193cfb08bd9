import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The CLI chosen by scripts/toolchain.sh (terraform, tofu or a built OpenTofu). */
export const terraformBinary = process.env.TERRAFORM_BINARY_NAME || 'terraform';

/** Result of `terraform validate -json` on one synthesized stack directory. */
export interface ValidateResult {
  readonly valid: boolean;
  /** One line per diagnostic: severity, summary and detail. */
  readonly diagnostics: string[];
}

/** One diagnostic of `terraform validate -json`. */
interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

/**
 * Runs `init -backend=false` and `validate -json` in a synthesized stack dir
 * against the real provider schema, with readable diagnostics (cdktf's matcher
 * prints them as [object Object]).
 */
export function validateStackDir(dir: string): ValidateResult {
  if (!fs.existsSync(path.join(dir, 'cdk.tf.json')) && !fs.existsSync(path.join(dir, 'cdk.tf'))) {
    throw new Error(`${dir} holds neither cdk.tf.json nor cdk.tf (HCL)`);
  }
  const run = (args: string[]) => execFileSync(terraformBinary, args, { cwd: dir, env: process.env, stdio: 'pipe', encoding: 'utf8' });
  try {
    run(['init', '-backend=false', '-input=false', '-no-color']);
  } catch (e) {
    const failed = e as { stderr?: string; message: string };
    return { valid: false, diagnostics: [`init failed: ${failed.stderr || failed.message}`] };
  }
  let out: string;
  try {
    out = run(['validate', '-json', '-no-color']);
  } catch (e) {
    out = (e as { stdout: string }).stdout; // validate exits 1 on an invalid configuration, still printing JSON
  }
  const result: { valid: boolean; diagnostics?: Diagnostic[] } = JSON.parse(out);
  return {
    valid: result.valid,
    diagnostics: (result.diagnostics ?? []).map((d) => `${d.severity}: ${d.summary}${d.detail ? ` — ${d.detail}` : ''}${d.address ? ` (${d.address})` : ''}`),
  };
}
