/** How an external provider network maps onto the physical network. */
export enum ProviderNetworkType {
  /** Untagged traffic on the physical network (Kolla-Ansible's all-in-one default). */
  FLAT = 'flat',
  /** 802.1Q-tagged traffic; needs `segmentationId`. */
  VLAN = 'vlan',
}
