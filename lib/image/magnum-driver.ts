/** The image `os_distro` values Magnum's drivers match on. */
export enum OsDistro {
  /** Fedora Atomic: the k8s_fedora_atomic_v1 Heat driver, Magnum up to 2023.2. */
  FEDORA_ATOMIC = 'fedora-atomic',
  /** Fedora CoreOS: the k8s_fedora_coreos_v1 Heat driver (Magnum 9.0 to 2026.1). */
  FEDORA_COREOS = 'fedora-coreos',
  /** Ubuntu: the Cluster API drivers. */
  UBUNTU = 'ubuntu',
  /** Flatcar Container Linux: the Cluster API drivers. */
  FLATCAR = 'flatcar',
}

/** A Magnum cluster driver: it picks the images it accepts by `os_distro`. */
export enum MagnumDriver {
  /**
   * k8s_fedora_atomic_v1, Heat-based. Builds clusters only on Magnum <= 14 (Yoga): 15.0.0 to 17.x pass a
   * template parameter (octavia_provider) its templates lack; removed in 18.0.0 (2024.1).
   */
  HEAT_FEDORA_ATOMIC = 'k8s_fedora_atomic_v1',
  /** k8s_fedora_coreos_v1, Heat-based; deprecated in 2025.1, last shipped in 2026.1. */
  HEAT_FEDORA_COREOS = 'k8s_fedora_coreos_v1',
  /** magnum-capi-helm (k8s_capi_helm_v1): needs the `kube_version` image property. */
  CLUSTER_API_HELM = 'k8s_capi_helm_v1',
  /** vexxhost's magnum-cluster-api: Kubernetes version from the `kube_tag` label. */
  CLUSTER_API_VEXXHOST = 'k8s_cluster_api',
}

/** What each driver accepts and requires (from each driver's `provides` and image checks). */
const DRIVERS: Record<MagnumDriver, { distros: OsDistro[]; needsKubeVersion: boolean }> = {
  [MagnumDriver.HEAT_FEDORA_ATOMIC]: { distros: [OsDistro.FEDORA_ATOMIC], needsKubeVersion: false },
  [MagnumDriver.HEAT_FEDORA_COREOS]: { distros: [OsDistro.FEDORA_COREOS], needsKubeVersion: false },
  [MagnumDriver.CLUSTER_API_HELM]: { distros: [OsDistro.UBUNTU, OsDistro.FLATCAR], needsKubeVersion: true },
  [MagnumDriver.CLUSTER_API_VEXXHOST]: { distros: [OsDistro.UBUNTU, OsDistro.FLATCAR], needsKubeVersion: false },
};

/** The `os_distro` values `driver` accepts. */
export function distrosAcceptedBy(driver: MagnumDriver): OsDistro[] {
  return [...DRIVERS[driver].distros];
}

/** Whether `driver` refuses an image without the `kube_version` property. */
export function driverNeedsKubeVersion(driver: MagnumDriver): boolean {
  return DRIVERS[driver].needsKubeVersion;
}

/** The driver Magnum picks for `distro` when only one could; undefined when several could. */
export function defaultDriverFor(distro: OsDistro): MagnumDriver | undefined {
  const candidates = (Object.keys(DRIVERS) as MagnumDriver[]).filter((d) => DRIVERS[d].distros.includes(distro));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Whether `driver` is one of Magnum's Heat drivers (the ones whose clusters live in a Heat stack). */
export function isHeatDriver(driver: MagnumDriver): boolean {
  return driver === MagnumDriver.HEAT_FEDORA_ATOMIC || driver === MagnumDriver.HEAT_FEDORA_COREOS;
}
