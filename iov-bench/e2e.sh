#!/usr/bin/env bash
# End-to-end throughput of one topology through three switches, same settings each time:
#
#   iov-e2e-a (198.18.0.1/24) ==veth== [ switch in iov-e2e-sw ] ==veth== iov-e2e-b (198.18.0.2/24)
#
#   java-switch  iov's SoftwareSwitch on AF_PACKET ports (dev.iov.bench.e2e.JavaSwitchE2e)
#   ovs-netdev   ovs-vswitchd with datapath_type=netdev (OVS's userspace datapath), private ovsdb-server
#   linux-bridge the kernel bridge: in-place forwarding, our practical ceiling here
#
# The switch of each run lives in its own namespace (iov-e2e-sw), so nothing touches the host's interfaces.
# Measures TCP throughput (iperf3, $E2E_SECONDS s, one stream) and the 64-byte UDP packet rate (iperf3 -u, 18-byte
# payload = 64-byte frames on the wire with FCS, unlimited send rate, rate counted at the receiver).
#
# The VMs keep their checksum/segmentation offloads on (E2E_VM_OFFLOAD=on, the default), as VMs with virtio NICs do:
# TCP then reaches the switch as 64 KiB offload super-frames with partial checksums. Every switch is given what it
# needs for that: the Java switch's packet sockets use virtio-net headers (PACKET_VNET_HDR), OVS's netdev datapath
# gets other_config:userspace-tso-enable=true (its own PACKET_VNET_HDR mode), the bridge forwards skbs as they are.
# E2E_VM_OFFLOAD=off turns tx offload off in the VMs (frames <= MTU, checksums done by the senders), runs the Java
# switch without virtio-net headers and OVS without userspace TSO: the setting measured before offloads.
#
# Usage: sudo iov-bench/e2e.sh [--json] [--only java-switch|ovs-netdev|linux-bridge]
# Needs root, iproute2, iperf3, jq, ethtool, openvswitch-switch (for ovs-netdev) and a built iov-bench/target/benchmarks.jar.
# With --json the last line is {"java_switch_mbps":…,"ovs_netdev_mbps":…,"linux_bridge_mbps":…,"java_switch_kpps":…,…}.
set -euo pipefail
cd "$(dirname "$0")/.."

JSON=0
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --json) JSON=1 ;;
    --only) ONLY="${2:?--only needs a switch name}"; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "e2e.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$(id -u)" -ne 0 ]; then
  echo "e2e.sh: needs root (it creates network namespaces)" >&2
  exit 2
fi
for tool in ip iperf3 jq ethtool; do
  command -v "$tool" >/dev/null || { echo "e2e.sh: '$tool' is missing (bash .ci/run --install-only installs it)" >&2; exit 2; }
done

SECONDS_TCP="${E2E_SECONDS:-10}"
SECONDS_UDP="${E2E_UDP_SECONDS:-5}"
VM_OFFLOAD="${E2E_VM_OFFLOAD:-on}"
case "$VM_OFFLOAD" in
  on|off) ;;
  *) echo "e2e.sh: E2E_VM_OFFLOAD must be on or off, not '$VM_OFFLOAD'" >&2; exit 2 ;;
esac
A=iov-e2e-a
B=iov-e2e-b
SW=iov-e2e-sw
JAR=iov-bench/target/benchmarks.jar
OVS_DIR=""
SWITCH_PID=""

log() { [ "$JSON" -eq 1 ] || echo "$@"; }

cleanup() {
  set +e
  if [ -n "$SWITCH_PID" ]; then
    kill "$SWITCH_PID" 2>/dev/null
    wait "$SWITCH_PID" 2>/dev/null
    SWITCH_PID=""
  fi
  if [ -n "$OVS_DIR" ]; then
    for d in ovs-vswitchd ovsdb-server; do
      [ -f "$OVS_DIR/$d.pid" ] && kill "$(cat "$OVS_DIR/$d.pid")" 2>/dev/null
    done
    sleep 0.5
    rm -rf "$OVS_DIR"
    OVS_DIR=""
  fi
  for ns in "$A" "$B" "$SW"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  set -e
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Two "VMs" and the switch namespace, joined by veth pairs; the switch ends are sw-a and sw-b.
topology() {
  cleanup
  ip netns add "$A"
  ip netns add "$B"
  ip netns add "$SW"
  ip -n "$SW" link set lo up
  local vm ns addr
  for vm in a b; do
    ns="iov-e2e-$vm"
    addr=$([ "$vm" = a ] && echo 198.18.0.1/24 || echo 198.18.0.2/24)
    ip -n "$SW" link add "sw-$vm" type veth peer name eth0 netns "$ns"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec "$SW" sysctl -qw "net.ipv6.conf.sw-$vm.disable_ipv6=1"
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$addr" dev eth0
    # With offloads off the VMs compute their own checksums and send frames <= MTU (as a VM does when its virtio
    # NIC offers no offloads), which a userspace switch without virtio-net headers needs; same for every switch.
    if [ "$VM_OFFLOAD" = off ]; then
      ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null
    fi
    ip -n "$ns" link set eth0 up
    ip -n "$SW" link set "sw-$vm" up
  done
}

linux_bridge() {
  ip -n "$SW" link add br0 type bridge
  ip -n "$SW" link set sw-a master br0
  ip -n "$SW" link set sw-b master br0
  ip -n "$SW" link set br0 up
}

ovs_netdev() {
  OVS_DIR=$(mktemp -d /tmp/iov-e2e-ovs.XXXXXX)
  local db="unix:$OVS_DIR/db.sock"
  ovsdb-tool create "$OVS_DIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  OVS_RUNDIR="$OVS_DIR" OVS_LOGDIR="$OVS_DIR" OVS_DBDIR="$OVS_DIR" ovsdb-server "$OVS_DIR/conf.db" \
    --remote="punix:$OVS_DIR/db.sock" --pidfile="$OVS_DIR/ovsdb-server.pid" \
    --unixctl="$OVS_DIR/ovsdb-server.ctl" --log-file="$OVS_DIR/ovsdb-server.log" --detach 2>/dev/null
  ovs-vsctl --db="$db" --no-wait init
  # ovs-vswitchd runs inside the switch namespace, so its system ports are the veth ends there.
  if [ "$VM_OFFLOAD" = on ]; then
    # Read at start-up: without it OVS's AF_PACKET ports take no virtio-net header and cannot carry the VMs'
    # super-frames and partial checksums.
    ovs-vsctl --db="$db" --no-wait set Open_vSwitch . other_config:userspace-tso-enable=true
  fi
  OVS_RUNDIR="$OVS_DIR" OVS_LOGDIR="$OVS_DIR" ip netns exec "$SW" ovs-vswitchd "$db" \
    --pidfile="$OVS_DIR/ovs-vswitchd.pid" --unixctl="$OVS_DIR/ovs-vswitchd.ctl" \
    --log-file="$OVS_DIR/ovs-vswitchd.log" --detach 2>/dev/null
  ovs-vsctl --db="$db" --timeout=20 add-br br0 -- set bridge br0 datapath_type=netdev \
    -- add-port br0 sw-a -- add-port br0 sw-b
}

java_switch() {
  [ -f "$JAR" ] || { echo "e2e.sh: $JAR is missing; build it with ./mvnw -B -q -DskipTests -pl iov-bench -am package" >&2; exit 2; }
  local vnet=()
  [ "$VM_OFFLOAD" = on ] || vnet=(--no-vnet-header)
  ip netns exec "$SW" java -cp "$JAR" dev.iov.bench.e2e.JavaSwitchE2e "${vnet[@]}" sw-a sw-b &
  SWITCH_PID=$!
  # The switch prints nothing; wait until it forwards (ARP resolves and a ping answers).
}

# Waits until a answers b through the switch (the switch may still be starting).
wait_for_path() {
  local i
  for i in $(seq 1 100); do
    if ip netns exec "$A" ping -c 1 -W 1 198.18.0.2 >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  echo "e2e.sh: no path from $A to $B through the switch" >&2
  exit 1
}

# Fails with iperf3's own message when it reports an error.
check_iperf() {
  local error
  error=$(jq -r '.error // empty' <<<"$1")
  if [ -n "$error" ]; then
    echo "e2e.sh: iperf3: $error" >&2
    exit 1
  fi
}

# Prints "mbps kpps retransmits" for the current switch.
measure() {
  ip netns exec "$B" iperf3 -s -D -1 --pidfile /tmp/iov-e2e-iperf.pid >/dev/null
  sleep 0.3
  local tcp mbps udp kpps retransmits
  tcp=$(ip netns exec "$A" iperf3 -c 198.18.0.2 -t "$SECONDS_TCP" -J)
  check_iperf "$tcp"
  mbps=$(jq '.end.sum_received.bits_per_second / 1e6 | floor' <<<"$tcp")
  retransmits=$(jq '.end.sum_sent.retransmits // 0' <<<"$tcp")
  ip netns exec "$B" iperf3 -s -D -1 --pidfile /tmp/iov-e2e-iperf.pid >/dev/null
  sleep 0.3
  udp=$(ip netns exec "$A" iperf3 -c 198.18.0.2 -u -l 18 -b 0 -t "$SECONDS_UDP" -J)
  check_iperf "$udp"
  kpps=$(jq '((.end.sum.packets - .end.sum.lost_packets) / .end.sum.seconds / 1000) | floor' <<<"$udp")
  echo "$mbps $kpps $retransmits"
}

declare -A MBPS KPPS
run() {
  local name="$1" setup="$2"
  if [ -n "$ONLY" ] && [ "$ONLY" != "$name" ]; then
    return 0
  fi
  log "== $name"
  topology
  "$setup"
  wait_for_path
  local result
  result=$(measure)
  local fields
  read -r -a fields <<<"$result"
  MBPS[$name]=${fields[0]}
  KPPS[$name]=${fields[1]}
  log "   TCP ${MBPS[$name]} Mbit/s (${fields[2]} retransmits), UDP 64-byte ${KPPS[$name]} kpps"
  cleanup
}

run java-switch java_switch
if command -v ovs-vswitchd >/dev/null; then
  run ovs-netdev ovs_netdev
else
  log "== ovs-netdev skipped: openvswitch-switch is not installed"
fi
run linux-bridge linux_bridge

value() { local v="${1:-}"; echo "${v:-null}"; }
if [ "$JSON" -eq 1 ]; then
  printf '{"java_switch_mbps":%s,"ovs_netdev_mbps":%s,"linux_bridge_mbps":%s,"java_switch_kpps":%s,"ovs_netdev_kpps":%s,"linux_bridge_kpps":%s}\n' \
    "$(value "${MBPS[java-switch]:-}")" "$(value "${MBPS[ovs-netdev]:-}")" "$(value "${MBPS[linux-bridge]:-}")" \
    "$(value "${KPPS[java-switch]:-}")" "$(value "${KPPS[ovs-netdev]:-}")" "$(value "${KPPS[linux-bridge]:-}")"
else
  if [ -n "${MBPS[java-switch]:-}" ] && [ -n "${MBPS[ovs-netdev]:-}" ]; then
    echo "java-switch / ovs-netdev TCP: $(awk -v a="${MBPS[java-switch]}" -v b="${MBPS[ovs-netdev]}" 'BEGIN { printf "%.2f", a / b }')x"
  fi
  if [ -n "${MBPS[java-switch]:-}" ] && [ -n "${MBPS[linux-bridge]:-}" ]; then
    echo "java-switch / linux-bridge TCP: $(awk -v a="${MBPS[java-switch]}" -v b="${MBPS[linux-bridge]}" 'BEGIN { printf "%.2f", a / b }')x"
  fi
fi
