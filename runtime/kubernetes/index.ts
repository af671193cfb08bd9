/**
 * The destroy-time Kubernetes client, as the teardown uses it: kubeconfig files read as kubectl
 * reads them, and the few lists and deletes the teardown's Kubernetes step needs. No dependency
 * beyond node and the YAML parser the OpenStack client already uses.
 */
export * from './client';
export * from './errors';
export * from './kubeconfig';
export * from './resources';
