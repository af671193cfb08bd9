# The boot simulator (python/boot_simulator.py): plays the servers of Magnum clusters. Sourced by up.sh.
# shellcheck shell=bash

# The password goes in the environment, which only its owner can read (a command line anyone can).
boot_simulator_start() { ADMIN_PASS=$ADMIN_PASS OS_AUTH_URL=$KS/v3 start boot-simulator; }
