"""Octavia network driver for a cloud without amphorae: no-op everywhere except
the VIP, which is a real Neutron port, so a floating IP can be put on it (as
Magnum's API load balancer and the cloud provider's Service LBs do)."""
from octavia.network import base
from octavia.network.drivers.neutron import allowed_address_pairs
from octavia.network.drivers.noop_driver import driver as noop


class RealVipNoopDriver(noop.NoopNetworkDriver):
    def __init__(self):
        super().__init__()
        self._neutron = allowed_address_pairs.AllowedAddressPairsDriver()

    def allocate_vip(self, loadbalancer):
        return self._neutron.allocate_vip(loadbalancer)

    def deallocate_vip(self, vip):
        return self._neutron.deallocate_vip(vip)

    def _get(self, kind, obj_id, context):
        try:
            return getattr(self._neutron, 'get_' + kind)(obj_id, context=context)
        except (base.NetworkNotFound, base.SubnetNotFound, base.PortNotFound):
            if context is not None:  # API-side checks keep Neutron's answer
                raise
            return getattr(super(), 'get_' + kind)(obj_id, context=context)

    def get_subnet(self, subnet_id, context=None):
        return self._get('subnet', subnet_id, context)

    def get_network(self, network_id, context=None):
        return self._get('network', network_id, context)

    def get_port(self, port_id, context=None):
        return self._get('port', port_id, context)
