/**
 * Why a cloud's settings got no Keystone token, told as one line a user can act on: which cloud
 * (clouds.yaml entry and file, or the OS_* environment), what failed, and the fix. The session
 * gathers what Keystone answered ({@link AuthAttempt}); this file only words it.
 */
import { CloudConfig } from './cloud-config';
import { AuthFailureKind, OpenStackAuthError, OpenStackTransportError } from './errors';

/** What the token request met, as the session saw it. */
export interface AuthAttempt {
  /** Keystone's HTTP status. @default - no answer came */
  readonly status?: number;
  /** Keystone's message (secrets removed), or why no answer came (see {@link noAnswerDetail}). */
  readonly detail: string;
  /**
   * After a 401 to a password request: whether the same user and password got an unscoped
   * token (true: the password is right, the scope is refused).
   * @default - not asked, or no answer
   */
  readonly credentialsAccepted?: boolean;
  /** The names of the projects the user has a role on, listed with that unscoped token. @default - not listed */
  readonly projects?: readonly string[];
}

/** Keystone's answer to any request it cannot authenticate: says nothing a user can act on, so it is left out. */
const GENERIC_401 = /^The request you have made requires authentication\.?$/;

/** Node's connection error codes in words. */
const NO_ANSWER: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name not resolved',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** Why a token request got no answer, in words: `connection refused, 4 tries`. */
export function noAnswerDetail(error: OpenStackTransportError, tries: number, timeoutMs: number): string {
  const why = error.timedOut ? `no answer within ${timeoutMs / 1000} s` : ((error.code && NO_ANSWER[error.code]) ?? error.message.replace(/^\S+ \S+: /, ''));
  return `${why}${tries > 1 ? `, ${tries} tries` : ''}`;
}

/**
 * The error for a token request that failed: the kind (see {@link AuthFailureKind}), what failed
 * and the fix. A 401 is a wrong password unless an unscoped request with the same password was
 * granted (then the user has no role on the project); a 403 is a refused scope too.
 */
export function authFailure(cloud: CloudConfig, attempt: AuthAttempt): OpenStackAuthError {
  const { status } = attempt;
  const keystone = `Keystone at ${cloud.authUrl}`;
  const said = status === undefined ? '' : `HTTP ${status}${attempt.detail && !GENERIC_401.test(attempt.detail) ? `: ${attempt.detail}` : ''}`;
  const fail = (kind: AuthFailureKind, what: string, fix: string) =>
    new OpenStackAuthError(kind, `authentication failed for ${cloud.source}: ${what}`, fix, status);
  const user = `user "${cloud.username ?? cloud.userId}"`;
  const scope = scopeOf(cloud);

  if (status === undefined) {
    return fail('unreachable', `Keystone is unreachable at ${cloud.authUrl} (${attempt.detail})`, `start Keystone, or correct ${setting(cloud, 'auth_url')}`);
  }
  if (status === 403 || (status === 401 && attempt.credentialsAccepted)) {
    const where =
      attempt.projects === undefined ? '' : `; it has a role on ${attempt.projects.length ? attempt.projects.map((p) => `"${p}"`).join(', ') : 'no project'}`;
    const why = attempt.credentialsAccepted ? `${keystone} accepted the password but refused the ${scope.kind} (${said})` : `${keystone} refused it (${said})`;
    return fail(
      'no-role',
      `${user} has no role on ${scope.label} (or it is gone or disabled): ${why}${where}`,
      `grant the user a role on ${scope.label} (openstack role add --user ${cloud.username ?? cloud.userId} --${scope.kind} ${scope.name} member), ` +
        `or set ${setting(cloud, `${scope.kind}_name`)} to one it has a role on`,
    );
  }
  if (status === 401) return credentialsFailure(cloud, keystone, said, user, scope.label, attempt, fail);
  if (status === 404) {
    return fail(
      'rejected',
      `${keystone} is not Keystone's v3 API (${said})`,
      `correct ${setting(cloud, 'auth_url')}: Keystone's URL, e.g. http://keystone.example:5000/v3`,
    );
  }
  if (status >= 500) return fail('rejected', `${keystone} failed (${said})`, `see Keystone's log, and run again once it answers`);
  return fail('rejected', `${keystone} refused the request (${said})`, `check the auth settings of ${cloud.source}`);
}

/** A 401 that the password itself got (or that could not be told apart from a missing role). */
function credentialsFailure(
  cloud: CloudConfig,
  keystone: string,
  said: string,
  user: string,
  scope: string,
  attempt: AuthAttempt,
  fail: (kind: AuthFailureKind, what: string, fix: string) => OpenStackAuthError,
): OpenStackAuthError {
  switch (cloud.authType) {
    case 'v3applicationcredential':
      return fail(
        'credentials',
        `${keystone} refused application credential "${cloud.applicationCredentialId ?? cloud.applicationCredentialName}" (${said})`,
        `update ${setting(cloud, 'application_credential_secret')}, or create a new application credential (Keystone deletes one whose user lost its role on the project)`,
      );
    case 'token':
    case 'v3token':
      return fail('credentials', `${keystone} refused the token (${said}): it expired or was revoked`, `put a fresh token in ${setting(cloud, 'token')}`);
    default:
      if (attempt.credentialsAccepted === false) {
        return fail(
          'credentials',
          `${keystone} refused the password of ${user} (${said}): it is wrong or was changed, or the user is gone or disabled`,
          `update ${setting(cloud, 'password')} to the user's current password`,
        );
      }
      return fail(
        'credentials',
        `${keystone} refused ${user} on ${scope} (${said}): a wrong password, or no role on ${scope}`,
        `update ${setting(cloud, 'password')}, or grant the user a role on ${scope}`,
      );
  }
}

/** The scope a token request asks for, for messages. */
function scopeOf(c: CloudConfig): { kind: 'project' | 'domain'; name: string; label: string } {
  const project = c.projectName ?? c.projectId;
  const domain = c.domainName ?? c.domainId;
  if (!project && domain) return { kind: 'domain', name: domain, label: `domain "${domain}"` };
  return project ? { kind: 'project', name: project, label: `project "${project}"` } : { kind: 'project', name: '<project>', label: 'its default project' };
}

/** Where a setting is changed: `auth.password of cloud "lab" in <file>` (the file its secret is in), or `OS_PASSWORD`. */
function setting(c: CloudConfig, key: string): string {
  if (!c.configFile) return `OS_${key.toUpperCase()}`;
  const secret = /password|secret|token/.test(key);
  return `auth.${key} of cloud "${c.name}" in ${secret ? (c.secretFile ?? c.configFile) : c.configFile}`;
}
