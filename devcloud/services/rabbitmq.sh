# RabbitMQ: the services' message bus, on loopback; its epmd too. Sourced by up.sh, down.sh, status.sh.
# shellcheck shell=bash

rabbitmq_conf() {
  cat > /etc/rabbitmq/rabbitmq-env.conf <<CNF
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=127.0.0.1
NODE_PORT=$(port rabbitmq)
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export ERL_EPMD_ADDRESS=127.0.0.1
CNF
  echo "listeners.tcp.default = 127.0.0.1:$(port rabbitmq)" > /etc/rabbitmq/rabbitmq.conf
  mkdir -p /run/rabbitmq /var/log/rabbitmq && chown rabbitmq:rabbitmq /run/rabbitmq /var/log/rabbitmq
}

# epmd on loopback only; HOME is where the server keeps its Erlang cookie.
rabbitmq_start() { ERL_EPMD_ADDRESS=127.0.0.1 HOME=/var/lib/rabbitmq start rabbitmq; }

# epmd_pid: RabbitMQ daemonises epmd into a session of its own, outside its process group:
# the one listening on epmd's loopback port.
epmd_pid() { ss -ltnpH 'sport = :4369' 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

rabbitmq_down() {
  local epmd; epmd=$(epmd_pid)
  if [ -n "$epmd" ] && [ "$(ps -o user= -p "$epmd")" = rabbitmq ]; then kill "$epmd" 2>/dev/null; fi
  return 0
}
