/** Kubernetes network (CNI) drivers Magnum's Kubernetes drivers accept. */
export enum NetworkDriver {
  /** Flannel: Magnum's default. */
  FLANNEL = 'flannel',
  /** Calico, for network policies. */
  CALICO = 'calico',
  /** Cilium (Cluster API drivers). */
  CILIUM = 'cilium',
}

/** Where Kubernetes persistent volumes come from. */
export enum VolumeDriver {
  /** Cinder; Magnum requires the cloud provider for it. */
  CINDER = 'cinder',
}

/** Docker's storage driver on the nodes. */
export enum DockerStorageDriver {
  /** overlay2: the default of Magnum's Fedora CoreOS driver. */
  OVERLAY2 = 'overlay2',
  /** devicemapper: needs a Docker volume of at least 3 GiB; deprecated by Docker and Magnum. */
  DEVICEMAPPER = 'devicemapper',
}
