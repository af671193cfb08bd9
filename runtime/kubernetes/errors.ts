/** A Kubernetes API answered with an error status, or did not answer; the message names the context and server, never a secret. */
export class KubernetesApiError extends Error {
  constructor(
    /** HTTP status: 403 forbidden, 404 gone, 409 conflict; undefined when there was no answer (refused, TLS, timeout). */
    public readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'KubernetesApiError';
  }
}
