/** The Keystone v3 token request that a cloud's settings make (keystoneauth's password, token and application-credential plugins). */
import { CloudConfig } from './cloud-config';

/** OSC's --os-default-domain: a user or project given by name without a domain is in `default`. */
const domainRef = (id: string | undefined, name: string | undefined) => (id ? { id } : name ? { name } : { id: 'default' });

function scopeOf(c: CloudConfig): object | undefined {
  if (c.projectId) return { project: { id: c.projectId } };
  if (c.projectName) return { project: { name: c.projectName, domain: domainRef(c.projectDomainId, c.projectDomainName) } };
  if (c.domainId) return { domain: { id: c.domainId } };
  if (c.domainName) return { domain: { name: c.domainName } };
  return undefined; // Keystone scopes to the user's default project.
}

function userRef(c: CloudConfig): object {
  return c.userId ? { id: c.userId } : { name: c.username, domain: domainRef(c.userDomainId, c.userDomainName) };
}

/** The Keystone v3 POST /v3/auth/tokens body for a cloud. */
export function authRequest(c: CloudConfig): object {
  if (c.authType === 'v3applicationcredential') {
    const credential = c.applicationCredentialId
      ? { id: c.applicationCredentialId, secret: c.applicationCredentialSecret }
      : { name: c.applicationCredentialName, secret: c.applicationCredentialSecret, user: userRef(c) };
    // An application credential carries its own scope; Keystone refuses another.
    return { auth: { identity: { methods: ['application_credential'], application_credential: credential } } };
  }
  const scope = scopeOf(c);
  const identity =
    c.authType === 'token' || c.authType === 'v3token'
      ? { methods: ['token'], token: { id: c.token } }
      : { methods: ['password'], password: { user: { ...userRef(c), password: c.password } } };
  return { auth: { identity, ...(scope ? { scope } : {}) } };
}

/**
 * The same user and password asking for no scope at all (`"scope": "unscoped"`: not the user's
 * default project either), which Keystone grants when the password alone is right: it tells a
 * wrong password from a missing role. Undefined for the other auth types, which have no such request.
 */
export function unscopedAuthRequest(c: CloudConfig): object | undefined {
  if (c.authType !== 'password' && c.authType !== 'v3password') return undefined;
  return { auth: { identity: { methods: ['password'], password: { user: { ...userRef(c), password: c.password } } }, scope: 'unscoped' } };
}

/** Keystone's base URL, without the version, of an auth_url given with or without it. */
const identityBase = (authUrl: string) => authUrl.replace(/\/+$/, '').replace(/\/v(2\.0|3)$/, '');

/** The Keystone v3 tokens URL of an auth_url given with or without its version. */
export function tokensUrl(authUrl: string): string {
  return `${identityBase(authUrl)}/v3/auth/tokens`;
}

/** The Keystone v3 URL listing the projects a token's user has a role on. */
export function projectsUrl(authUrl: string): string {
  return `${identityBase(authUrl)}/v3/auth/projects`;
}
