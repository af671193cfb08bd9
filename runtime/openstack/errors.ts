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
  ) {
    super(`${method} ${url}: ${timedOut ? 'no answer within the timeout' : cause}`);
    this.name = 'OpenStackTransportError';
  }
}

/** The HTTP status of an OpenStackHttpError, else undefined. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof OpenStackHttpError ? error.status : undefined;
}

/** Whether a request may succeed if simply sent again: no answer, 429 or 5xx (but not 501). */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  return error instanceof OpenStackTransportError || status === 429 || (status !== undefined && status >= 500 && status !== 501);
}
