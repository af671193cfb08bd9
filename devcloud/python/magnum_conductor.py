"""magnum-conductor with `[kubernetes] health_polling_interval = -1` honoured.

Magnum reads that option when its periodic-task module is imported, before it
parses magnum.conf, so the file's -1 never reaches the task and the conductor
polls https://<api_address>/healthz of every finished cluster each minute: here
a floating IP that is only a database row (the egress guard rejected those
connections). Setting the value before the import disables the task.
Usage: magnum_conductor.py --config-file /etc/magnum/magnum.conf
"""
import sys

import magnum.conf

magnum.conf.CONF.set_override('health_polling_interval', -1, group='kubernetes')

from magnum.cmd.conductor import main  # noqa: E402 -- after the override, on purpose

sys.argv[0] = 'magnum-conductor'
sys.exit(main())
