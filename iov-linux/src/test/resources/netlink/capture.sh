#!/usr/bin/env bash
# Regenerates the golden rtnetlink vectors next to this script: for each write operation iov encodes, the request
# iproute2 (`ip`) sends for the same change, taken from `strace -e write=all`. GoldenVectorTest compares iov's
# encoder with these files attribute by attribute.
#
# Needs root, iproute2 and strace. Works only in two namespaces it creates (iov-gcap, iov-gcap2) and deletes them
# on exit; it refuses to run if they already exist, rather than touch namespaces it did not create. Addresses are
# from 198.18.0.0/15 and 2001:2::/48 (benchmarking ranges). VF and IPoIB requests are refused by this kernel (a veth
# has no VFs, there is no IPoIB driver), but strace shows the request all the same, which is all a vector needs.
#
# reply-link-veth.hex and reply-link-tap-alias.hex are the other direction: the kernel's reply to `ip link show` for
# one veth and for one TAP with an alias, for the parser tests.
#
# Each output file NAME.hex holds comment lines (the exact command, the iproute2 version, the interface indexes in
# the namespace when the command ran, how `ip` exited) and the request's bytes as hex, 16 per line: the nlmsghdr and
# its payload. When `ip` sends several messages (name look-ups, iproute2's probe for RTM_NEWLINK support, the
# current-rate read for `vf N max_tx_rate`), the vector is the last one that asks for an acknowledgement: the change
# itself.
set -euo pipefail

OUT="$(cd "$(dirname "$0")" && pwd)"
NS=iov-gcap
NS2=iov-gcap2
WORK="$(mktemp -d)"
SLEEPER=

cleanup() {
    [ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null || true
    ip netns del "$NS2" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}

for ns in "$NS" "$NS2"; do
    if ip netns list | grep -qw "$ns"; then
        echo "namespace $ns exists already (a previous run?); delete it with 'ip netns del $ns' and rerun" >&2
        exit 1
    fi
done
trap cleanup EXIT
ip netns add "$NS"
ip netns add "$NS2"
IPROUTE_VERSION="$(ip -V)"

# capture NAME ip ARGS... : runs `ip ARGS...` under strace and writes NAME.hex with the request it sent
capture() {
    trace_ip send "$@"
}

# capture_reply NAME LINK ip ARGS... : the same, but keeps the kernel's largest RTM_NEWLINK reply about LINK
capture_reply() {
    local name="$1" link="$2"; shift 2
    LINK_HEX="$(printf '%s' "$link" | od -An -tx1 | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')" trace_ip receive "$name" "$@"
}

trace_ip() {
    local mode="$1" name="$2"; shift 2
    local indexes status syscalls
    if [ "$mode" = send ]; then syscalls=sendto,sendmsg; else syscalls=recvmsg,recvfrom; fi
    indexes="$(ip -n "$NS" -o link show | awk -F': ' '{ sub(/@.*/, "", $2); printf "%s=%s ", $2, $1 }')"
    set +e
    strace -f -qq -e trace="$syscalls" -e write=all -e read=all -xx -s 65536 -o "$WORK/trace" "$@" \
        2>"$WORK/stderr"
    status=$?
    set -e
    {
        echo "# command: $*"
        echo "# iproute2: $IPROUTE_VERSION"
        echo "# ifindex: ${indexes% }"
        echo "# ip exit: $(echo "$status $(tr '\n' ' ' < "$WORK/stderr")" | sed 's/ *$//')"
        # Each syscall line starts a datagram; its hex dump follows as " | 00000  xx xx ..." lines. Sent: keep the
        # last message whose nlmsg_flags (byte 6) has NLM_F_ACK (0x04). Received: keep the largest datagram that
        # starts with an RTM_NEWLINK (type 16, bytes 4-5) and holds IFLA_IFNAME of the link (the full reply, not
        # the stats-less name look-up iproute2 makes first, nor the look-up of its master's name).
        awk -v mode="$mode" -v ifname="03 00 ${LINK_HEX:-} 00" '
            /^([0-9]+ +|\[pid +[0-9]+\] )?(send|recv)(to|msg|from)\(/ { n++; len[n] = 0; next }
            /^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {
                hex = substr($0, 11, 48)
                k = split(hex, bytes, / +/)
                for (i = 1; i <= k; i++) if (bytes[i] ~ /^[0-9a-f][0-9a-f]$/) msg[n, len[n]++] = bytes[i]
            }
            END {
                pick = 0
                for (m = 1; m <= n; m++) {
                    if (len[m] >= 16) {
                        # NLM_F_ACK is bit 2 of the low byte: its low hex digit is one of 4-7 or c-f.
                        if (mode == "send" && substr(msg[m, 6], 2, 1) ~ /[4-7c-f]/) pick = m
                        if (mode == "receive" && msg[m, 4] == "10" && msg[m, 5] == "00" && len[m] > best) {
                            joined = ""
                            for (i = 0; i < len[m]; i++) joined = joined (i ? " " : "") msg[m, i]
                            if (index(joined, ifname)) { pick = m; best = len[m] }
                        }
                    }
                }
                if (!pick) { print "no " (mode == "send" ? "acknowledged request" : "link reply") " in the trace" > "/dev/stderr"; exit 1 }
                for (i = 0; i < len[pick]; i++) printf "%s%s", msg[pick, i], (i % 16 == 15 || i == len[pick] - 1) ? "\n" : " "
            }' "$WORK/trace"
    } > "$OUT/$name.hex"
    echo "$name.hex: $*"
}

# Fixtures: a veth pair whose ends stand in for a PF and an underlay.
ip -n "$NS" link add iov-d0 type veth peer name iov-d1

capture link-add-veth ip -n "$NS" link add iov-va type veth peer name iov-vb
capture link-add-veth-peer-netns ip -n "$NS" link add iov-pa type veth peer name iov-pb netns "$NS2"
capture link-add-bridge ip -n "$NS" link add iov-br type bridge
capture link-add-vxlan ip -n "$NS" link add iov-vx type vxlan id 42 local 198.18.0.1 remote 198.18.0.2 dstport 4789 dev iov-d0
capture link-add-vxlan-group ip -n "$NS" link add iov-vg type vxlan id 43 group 239.1.1.1 dev iov-d0 dstport 4789
capture link-add-vxlan6 ip -n "$NS" link add iov-v6 type vxlan id 44 local 2001:2::1 remote 2001:2::2 dstport 4789
capture link-add-macvlan ip -n "$NS" link add iov-mv link iov-d1 type macvlan mode bridge
capture link-add-ipoib ip -n "$NS" link add link iov-d0 name iov-ib type ipoib pkey 0x8001

capture link-set-up ip -n "$NS" link set iov-d0 up
capture link-set-down ip -n "$NS" link set iov-d0 down
capture link-set-mtu ip -n "$NS" link set iov-d0 mtu 1400
capture link-set-address ip -n "$NS" link set iov-d0 address 02:00:00:00:00:aa
capture link-set-master ip -n "$NS" link set iov-d0 master iov-br
capture link-set-nomaster ip -n "$NS" link set iov-d0 nomaster
capture link-set-alias ip -n "$NS" link set iov-d0 alias iov:h1/java-switch:web-7-eth0
capture link-set-netns-fd ip -n "$NS" link set iov-vb netns "$NS2"
ip netns exec "$NS2" sleep 600 &
SLEEPER=$!
sleep 0.2
capture link-set-netns-pid ip -n "$NS" link set iov-va netns "$SLEEPER"
capture link-del ip -n "$NS" link del iov-mv

capture addr-add-v4 ip -n "$NS" addr add 198.18.0.1/24 dev iov-d0
capture addr-del-v4 ip -n "$NS" addr del 198.18.0.1/24 dev iov-d0
capture addr-add-v6 ip -n "$NS" addr add 2001:2::1/64 dev iov-d0
capture addr-del-v6 ip -n "$NS" addr del 2001:2::1/64 dev iov-d0

capture vf-mac ip -n "$NS" link set iov-d0 vf 0 mac 02:00:00:00:00:01
capture vf-vlan ip -n "$NS" link set iov-d0 vf 1 vlan 100 qos 3
capture vf-vlan-8021ad ip -n "$NS" link set iov-d0 vf 1 vlan 100 qos 3 proto 802.1ad
capture vf-vlan-clear ip -n "$NS" link set iov-d0 vf 1 vlan 0
capture vf-rate ip -n "$NS" link set iov-d0 vf 2 min_tx_rate 100 max_tx_rate 1000
capture vf-max-rate-only ip -n "$NS" link set iov-d0 vf 2 max_tx_rate 1000
capture vf-spoofchk ip -n "$NS" link set iov-d0 vf 3 spoofchk on
capture vf-trust ip -n "$NS" link set iov-d0 vf 3 trust off
capture vf-state ip -n "$NS" link set iov-d0 vf 3 state disable
capture vf-node-guid ip -n "$NS" link set iov-d0 vf 4 node_guid 00:11:22:33:44:55:66:77
capture vf-port-guid ip -n "$NS" link set iov-d0 vf 4 port_guid 00:11:22:33:44:55:66:78
capture vf-combined ip -n "$NS" link set iov-d0 vf 5 mac 02:00:00:00:00:05 vlan 200 qos 1 spoofchk on trust on state enable min_tx_rate 10 max_tx_rate 100

# A real reply, for the parser: a veth whose peer is in the other namespace (so it has IFLA_LINK_NETNSID), enslaved
# to the bridge and up.
ip -n "$NS" link set iov-pa master iov-br
ip -n "$NS" link set iov-pa up
capture_reply reply-link-veth iov-pa ip -n "$NS" link show dev iov-pa

# And a persistent TAP carrying an alias (IFLA_IFALIAS), as the java-switch backend marks its vNICs' TAPs.
ip -n "$NS" tuntap add dev iov-tp mode tap
ip -n "$NS" link set iov-tp alias iov:h1/java-switch:web-7-eth0
capture_reply reply-link-tap-alias iov-tp ip -n "$NS" link show dev iov-tp
