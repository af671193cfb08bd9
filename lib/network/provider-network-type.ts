/** How an external provider network maps onto the physical network. */
export enum ProviderNetworkType {
  /** Untagged traffic on the physical network (Kolla-Ansible's all-in-one default). */
  FLAT = 'flat',
  /** 802.1Q-tagged traffic on the physical network; needs `segmentationId`. */
  VLAN = 'vlan',
  /** VXLAN overlay (24-bit VNI); no physical network. */
  VXLAN = 'vxlan',
  /** Geneve overlay, as OVN uses (24-bit VNI); no physical network. */
  GENEVE = 'geneve',
  /** GRE overlay (32-bit key); no physical network. */
  GRE = 'gre',
}
