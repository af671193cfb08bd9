import { MagnumDriver } from '../../image/magnum-driver';
import { NetworkDriver } from '../template-drivers';

/** What a cluster driver does with the template's network driver. */
export interface NetworkDriverSupport {
  /** The network drivers it runs; the first is the template default. */
  readonly runs: NetworkDriver[];
  /** Whether Magnum (or the driver) refuses the others, rather than building a cluster without a pod network. */
  readonly refusesOthers: boolean;
  /** Why the others fail, for messages. */
  readonly why: string;
}

const HEAT: NetworkDriverSupport = {
  // Flannel first: magnum.conf's kubernetes_default_network_driver.
  runs: [NetworkDriver.FLANNEL, NetworkDriver.CALICO],
  refusesOthers: true,
  // magnum/api/validation.py K8sValidator: flannel and calico up to 17.x; 18.0.0 added cilium "because some
  // cluster drivers like capi-driver supports this. But the Heat driver doesn't support this yet."
  why: 'the Heat drivers run only flannel and calico: Magnum 15 (Zed) to 17 refuse other network drivers for Kubernetes ("Network driver type ... is not supported"), and from 18.0.0 the Heat templates, which never implemented cilium, would build a cluster without a pod network',
};

/** Network drivers per cluster driver (from each driver's code; see the `why` of each). */
const NETWORK_SUPPORT: Record<MagnumDriver, NetworkDriverSupport> = {
  [MagnumDriver.HEAT_FEDORA_ATOMIC]: HEAT,
  [MagnumDriver.HEAT_FEDORA_COREOS]: HEAT,
  [MagnumDriver.CLUSTER_API_HELM]: {
    // Calico first: the driver's docs and CI use it.
    runs: [NetworkDriver.CALICO, NetworkDriver.CILIUM],
    refusesOthers: false,
    // magnum_capi_helm/driver.py _get_cni_type passes network_driver on as the chart's cni.type.
    why: 'magnum-capi-helm hands the network driver to capi-helm-charts as the CNI type, and the charts install only calico or cilium: the nodes would get no pod network',
  },
  [MagnumDriver.CLUSTER_API_VEXXHOST]: {
    // Calico first: magnum-cluster-api's getting-started guide uses it.
    runs: [NetworkDriver.CALICO, NetworkDriver.CILIUM],
    refusesOthers: true,
    // magnum_cluster_api/utils.py validate_cluster raises UnsupportedCNI at cluster create.
    why: 'magnum-cluster-api refuses every cluster whose template has another network driver (UnsupportedCNI)',
  },
};

/** The network drivers `driver` runs, its default first, and what happens to the others. */
export function networkDriverSupportOf(driver: MagnumDriver): NetworkDriverSupport {
  return NETWORK_SUPPORT[driver];
}
