"""Runs a daemon's main() from its Python module, for the daemons whose Debian package
(with its console script) would pull in what this cloud cannot run: cinder-volume
(tgt, LVM) and nova-compute (libvirt, QEMU). The rest of the command line is the daemon's.
Usage: daemon_main.py MODULE NAME ARG...
  e.g. daemon_main.py cinder.cmd.volume cinder-volume --config-file /etc/cinder/cinder.conf"""
import importlib
import sys

module = sys.argv[1]
sys.argv = sys.argv[2:]
sys.exit(importlib.import_module(module).main())
