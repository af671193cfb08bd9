import { LocalBackend, PgBackend, PgBackendConfig, TerraformStack } from 'cdktf';

/**
 * Where a stack keeps its state, chosen at synth time by `MAGNUM_CDKTF_BACKEND`:
 * - unset or `local`: `terraform.<stack>.tfstate` in the directory that holds the synth
 *   output (the project, for `cdktf.out`), where cdktf itself would put it, but as a
 *   relative path so no absolute path of the author's machine is synthesized, and
 *   outside `cdktf.out` so cleaning the synth output never loses state;
 * - `pg`: a PostgreSQL schema per stack, shared by a team, with locking. The
 *   connection string (credentials included) is never synthesized: Terraform reads
 *   it from `PG_CONN_STR` at init.
 */
export function configureBackend(stack: TerraformStack, env: NodeJS.ProcessEnv = process.env): void {
  const kind = env.MAGNUM_CDKTF_BACKEND ?? 'local';
  const id = stack.node.id;
  if (kind === 'local') {
    // Relative to the stack's working directory, <outdir>/stacks/<id>.
    new LocalBackend(stack, { path: `../../../terraform.${id}.tfstate` });
  } else if (kind === 'pg') {
    // cdktf types conn_str as required, but Terraform reads PG_CONN_STR when it is absent,
    // which keeps the credentials out of the synthesized JSON.
    const config = { schemaName: `magnum_cdktf_${id.replace(/[^A-Za-z0-9]/g, '_')}` } as PgBackendConfig;
    new PgBackend(stack, config);
  } else {
    throw new Error(`MAGNUM_CDKTF_BACKEND=${kind}: unknown backend. Fix: use "local" (default) or "pg" with PG_CONN_STR set.`);
  }
}
