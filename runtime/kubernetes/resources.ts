/** The Kubernetes objects the teardown reads, as far as it reads them, and their mappers from the API's JSON. */

/** Raw API bodies: typed at the boundary by the mappers below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one untyped boundary: each kind's body is typed by its mapper
export type KubeJson = any;

/** What every object the teardown may delete or wait for carries. */
export interface KubeObject {
  /** Empty for a cluster-scoped object (a Node, a PersistentVolume). */
  readonly namespace: string;
  readonly name: string;
  /** Tells a recreated object of the same name from the one that was deleted. */
  readonly uid: string;
  /** What holds it while it is being deleted (e.g. `service.kubernetes.io/load-balancer-cleanup`). */
  readonly finalizers: string[];
}

/** A Node, as far as its identity goes. */
export interface KubeNode extends KubeObject {
  /** `spec.providerID`, e.g. `openstack:///<server id>`; undefined when the cloud provider has not set it. */
  readonly providerId?: string;
}

/** A Service; `type` LoadBalancer makes the cloud provider create an Octavia load balancer. */
export interface KubeService extends KubeObject {
  readonly type: string;
}

/** An Ingress, with the two ways it names its class. */
export interface KubeIngress extends KubeObject {
  /** `spec.ingressClassName`. */
  readonly className?: string;
  /** The annotation `kubernetes.io/ingress.class`, which octavia-ingress-controller also reads. */
  readonly classAnnotation?: string;
}

/** A PersistentVolumeClaim and the PersistentVolume it is bound to. */
export interface KubePersistentVolumeClaim extends KubeObject {
  /** `spec.volumeName`; undefined while unbound. */
  readonly volumeName?: string;
}

/** A PersistentVolume and, for a CSI one, its driver and the storage object's id. */
export interface KubePersistentVolume extends KubeObject {
  /** `spec.csi.driver`, e.g. `cinder.csi.openstack.org`. */
  readonly csiDriver?: string;
  /** `spec.csi.volumeHandle`: for Cinder CSI, the Cinder volume's id. */
  readonly volumeHandle?: string;
  /** `spec.persistentVolumeReclaimPolicy`: `Delete` removes the volume with its claim, `Retain` keeps both. */
  readonly reclaimPolicy?: string;
  /** The `pv.kubernetes.io/provisioned-by` annotation: the provisioner that made the volume for a claim (none on a PV written by hand). */
  readonly provisionedBy?: string;
}

/** The annotation a provisioner sets on the PersistentVolumes it makes. */
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';

/** The annotation octavia-ingress-controller reads (besides `spec.ingressClassName`). */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

const meta = (o: KubeJson): KubeObject => ({
  namespace: o.metadata?.namespace ?? '',
  name: o.metadata?.name ?? '',
  uid: o.metadata?.uid ?? '',
  finalizers: o.metadata?.finalizers ?? [],
});

export const toNode = (o: KubeJson): KubeNode => ({ ...meta(o), providerId: o.spec?.providerID || undefined });
export const toService = (o: KubeJson): KubeService => ({ ...meta(o), type: o.spec?.type ?? 'ClusterIP' });
export const toIngress = (o: KubeJson): KubeIngress => ({
  ...meta(o),
  className: o.spec?.ingressClassName || undefined,
  classAnnotation: o.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION] || undefined,
});
export const toPersistentVolumeClaim = (o: KubeJson): KubePersistentVolumeClaim => ({ ...meta(o), volumeName: o.spec?.volumeName || undefined });
export const toPersistentVolume = (o: KubeJson): KubePersistentVolume => ({
  ...meta(o),
  csiDriver: o.spec?.csi?.driver || undefined,
  volumeHandle: o.spec?.csi?.volumeHandle || undefined,
  reclaimPolicy: o.spec?.persistentVolumeReclaimPolicy || undefined,
  provisionedBy: o.metadata?.annotations?.[PROVISIONED_BY_ANNOTATION] || undefined,
});
