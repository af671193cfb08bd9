/** An OpenStack API answered with an error status. */
export class OpenStackHttpError extends Error {
  constructor(
    /** HTTP status: 404 gone, 409 conflict or busy, 5xx server trouble. */
    public readonly status: number,
    /** The request method. */
    public readonly method: string,
    /** The request URL. */
    public readonly url: string,
    detail: string,
  ) {
    super(`${method} ${url}: HTTP ${status}${detail ? ` ${detail}` : ''}`);
    this.name = 'OpenStackHttpError';
  }
}

/** A request that got no answer: connection refused or reset, or no answer within the timeout. */
export class OpenStackTransportError extends Error {
  constructor(
    /** The request method. */
    public readonly method: string,
    /** The request URL. */
    public readonly url: string,
    /** Whether the per-request timeout fired. */
    public readonly timedOut: boolean,
    cause: string,
    /** False when the request provably never reached the server (no connection), so even a POST may be sent again. */
    public readonly reachedServer = true,
    /** Node's error code of the failure (`ECONNREFUSED`, `ENOTFOUND`, …), when it gave one. */
    public readonly code?: string,
  ) {
    super(`${method} ${url}: ${timedOut ? 'no answer within the timeout' : cause}`);
    this.name = 'OpenStackTransportError';
  }
}

/** Why Keystone gave no token for a cloud's settings (see authFailure for how each is told apart). */
export type AuthFailureKind =
  /** Keystone refused the credentials themselves: a wrong or changed password, a gone or disabled user, a bad application credential, an expired token. */
  | 'credentials'
  /** The password is right, but the user has no role on the project (or the project is gone or disabled). */
  | 'no-role'
  /** No answer at auth_url: connection refused or reset, host not found, or no answer within the timeout. */
  | 'unreachable'
  /** Another answer: a 404 at a URL that is not Keystone's, a 5xx after the retries, a 400. */
  | 'rejected';

/** Keystone gave no token: names the cloud (clouds.yaml entry and file, or the OS_* environment), what failed and the fix; never a secret. */
export class OpenStackAuthError extends Error {
  constructor(
    /** What failed. */
    public readonly kind: AuthFailureKind,
    /** `authentication failed for <file> (cloud "<name>"): <what failed>`. */
    public readonly summary: string,
    /** What to change, e.g. `update auth.password of cloud "lab" in /etc/openstack/clouds.yaml to the user's current password`. */
    public readonly fix: string,
    /** Keystone's HTTP status; undefined when it did not answer. */
    public readonly status?: number,
  ) {
    super(`${summary}. Fix: ${fix}.`);
    this.name = 'OpenStackAuthError';
  }
}

/** The HTTP status of an OpenStackHttpError (or of Keystone's answer to an OpenStackAuthError), else undefined. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof OpenStackHttpError || error instanceof OpenStackAuthError ? error.status : undefined;
}

/** Whether a request may succeed if simply sent again: no answer, 429 or 5xx (but not 501), from the service or from Keystone renewing the token. */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  const unanswered = error instanceof OpenStackTransportError || (error instanceof OpenStackAuthError && error.kind === 'unreachable');
  return unanswered || status === 429 || (status !== undefined && status >= 500 && status !== 501);
}
