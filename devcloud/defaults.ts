import * as fs from 'fs';
import * as path from 'path';

/** The project root: the nearest directory above this file with a package.json (same for the .ts and the compiled .js). */
export function projectRoot(dir = __dirname): string {
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}: devcloud runs from inside the project`);
  return projectRoot(path.dirname(dir));
}

/** The wing's own files (services.table, defaults.env, python/), wherever the code runs from (source or dist/). */
export const DEVCLOUD_DIR = path.join(projectRoot(), 'devcloud');

function readDefaults(): Record<string, string> {
  const text = fs.readFileSync(path.join(DEVCLOUD_DIR, 'defaults.env'), 'utf8');
  return Object.fromEntries(
    text.split('\n').flatMap((line) => {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      return m ? [[m[1], m[2]]] : [];
    }),
  );
}
const env = readDefaults();

/** devcloud/defaults.env: the facts the shell scripts read too. */
export const DEVCLOUD_DEFAULTS = {
  /** Where the cloud keeps its state when DEVCLOUD_HOME is unset. */
  home: env.DEVCLOUD_HOME_DEFAULT,
  /** The clouds.yaml file up.sh writes in the home directory. */
  cloudsFile: env.DEVCLOUD_CLOUDS_FILE,
  /** The cloud's name in that clouds.yaml. */
  cloud: env.DEVCLOUD_CLOUD,
} as const;

/** The cloud's home directory: DEVCLOUD_HOME, else the default (an empty value counts as unset, as in the scripts). */
export function devcloudHome(environment: NodeJS.ProcessEnv = process.env): string {
  return environment.DEVCLOUD_HOME || DEVCLOUD_DEFAULTS.home;
}
