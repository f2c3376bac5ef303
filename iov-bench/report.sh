#!/usr/bin/env bash
# Runs every benchmark of iov-bench with its peers and writes one report a person can read at a glance:
#
#   iov-bench/target/report/index.html   tables per area (iov, each peer, ratio, goal, verdict), machine, JDK, charts
#   iov-bench/target/report/report.md    the same in Markdown, charts in charts/*.svg
#   iov-bench/target/report/raw/         JMH JSON (-rf json), peer outputs, logs: what the report was made from
#
# What runs (each area is skipped with a note in the report when its prerequisites are missing):
#   RssBench, MacTableBench, SwitchBench   JMH with -prof gc (hot path; peers HashMap/fastutil/Agrona in the same run)
#   rte_softrss                            DPDK's RSS hash in C (iov-bench/peers/build.sh; needs gcc, libdpdk-dev)
#   NetlinkBench, PacketSendBench          JMH, root only (private network namespaces)
#   e2e.sh --json                          Java switch vs OVS userspace vs Linux bridge, root + iperf3/jq/ethtool
#   FabricScaleBench                       the control plane at scale (journal store under iov-bench/target)
#   ClusterProvisioning                    1, 2, 4 management nodes (cluster members) on an in-process 3-server
#                                          ZooKeeper ensemble vs the embedded journal: provisions/s, writes and
#                                          conflicts per vNIC, event lag between nodes (30-60 s; 20 s with --quick)
#
# Usage: iov-bench/report.sh [--quick] [--no-build]
#   --quick      short JMH iterations, one host count for the control plane, short e2e runs: about 3 minutes,
#                for checking that everything runs; figures are rough
#   --no-build   use the existing iov-bench/target/benchmarks.jar
# Defaults fit in about 13 minutes on 2 cores (15 with the build). REPORT_MAVEN_ARGS adds Maven options to the
# build, e.g. REPORT_MAVEN_ARGS="-o -Dmaven.repo.local=/path/to/repo".
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "report.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

OUT=iov-bench/target/report
RAW=$OUT/raw
JAR=iov-bench/target/benchmarks.jar
NOTES=$RAW/notes.txt
started=$(date +%s)

rm -rf "$OUT"
mkdir -p "$RAW"
: >"$NOTES"

note() { echo "$*" >>"$NOTES"; echo "report.sh: $*" >&2; }
step() { echo "report.sh: [$(( $(date +%s) - started ))s] $*" >&2; }

if [ "$BUILD" -eq 1 ]; then
  step "building $JAR"
  # shellcheck disable=SC2086 # REPORT_MAVEN_ARGS is a list of options
  ./mvnw -B -q -DskipTests ${REPORT_MAVEN_ARGS:-} -pl iov-bench -am package
fi
[ -f "$JAR" ] || { echo "report.sh: $JAR is missing; run without --no-build" >&2; exit 2; }

if [ "$QUICK" -eq 1 ]; then
  JMH_OPTS=(-f 1 -wi 1 -w 300ms -i 2 -r 500ms)
  PEER_ITERATIONS=500000
  export E2E_SECONDS=3 E2E_UDP_SECONDS=2
  FABRIC_OPTS=(--quick)
  CLUSTER_VNICS=200
else
  # The benchmarks' own warm-up and measurement settings, one fork each (MacTableBench declares two).
  JMH_OPTS=(-f 1)
  PEER_ITERATIONS=2000000
  FABRIC_OPTS=()
  CLUSTER_VNICS=1000
fi

# jmh NAME REGEX [JMH OPTIONS...]: one JMH run, JSON into raw/jmh-NAME.json, its console output into raw/jmh-NAME.log.
jmh() {
  local name="$1" regex="$2"
  shift 2
  step "JMH $name"
  if ! java -jar "$JAR" "$regex" "${JMH_OPTS[@]}" "$@" -rf json -rff "$RAW/jmh-$name.json" >"$RAW/jmh-$name.log" 2>&1; then
    note "$name failed; see raw/jmh-$name.log"
    rm -f "$RAW/jmh-$name.json"
  fi
}

jmh hot-path 'dev\.iov\.bench\.(rss\.RssBench|switching\.MacTableBench|switching\.SwitchBench)\.' -prof gc

if command -v gcc >/dev/null && [ -e /usr/include/dpdk/rte_thash.h ]; then
  step "rte_softrss peer"
  if peer=$(iov-bench/peers/build.sh 2>"$RAW/rss-peer.log") && "$peer" "$PEER_ITERATIONS" >"$RAW/rss-peer.txt" 2>>"$RAW/rss-peer.log"; then
    :
  else
    note "rte_softrss failed; see raw/rss-peer.log"
    rm -f "$RAW/rss-peer.txt"
  fi
else
  note "rte_softrss skipped: needs gcc and libdpdk-dev (bash .ci/run --install-only installs them)"
fi

if [ "$(id -u)" -eq 0 ]; then
  jmh netlink 'dev\.iov\.bench\.linux\.NetlinkBench\.'
  jmh packet-send 'dev\.iov\.bench\.linux\.PacketSendBench\.' -prof gc
else
  note "NetlinkBench and PacketSendBench skipped: they need root (network namespaces)"
fi

step "FabricScaleBench"
if ! java -Xms2g -Xmx2g -cp "$JAR" dev.iov.bench.fabric.FabricScaleBench "${FABRIC_OPTS[@]}" \
    --dir iov-bench/target/fabric-scale --out "$RAW/fabric-scale.json" >"$RAW/fabric-scale.log" 2>&1; then
  note "FabricScaleBench failed; see raw/fabric-scale.log"
  rm -f "$RAW/fabric-scale.json"
fi

step "ClusterProvisioning ($CLUSTER_VNICS vNICs per configuration)"
cluster_started=$(date +%s)
cluster_status=0
java -cp "$JAR" dev.iov.bench.cluster.ClusterProvisioning --vnics "$CLUSTER_VNICS" \
    --json "$RAW/cluster-provisioning.json" >"$RAW/cluster-provisioning.log" 2>&1 || cluster_status=$?
if [ "$cluster_status" -eq 0 ]; then
  step "ClusterProvisioning took $(( $(date +%s) - cluster_started )) s"
elif [ "$cluster_status" -eq 3 ] && [ -f "$RAW/cluster-provisioning.json" ]; then
  # Every configuration ran, but some vNICs' events never reached another node: the report shows the figures and
  # marks the lag goal missed with the count.
  note "ClusterProvisioning: VnicProvisioned events missing between nodes; see raw/cluster-provisioning.log"
else
  note "ClusterProvisioning failed; see raw/cluster-provisioning.log"
  rm -f "$RAW/cluster-provisioning.json"
fi

missing=()
for tool in ip iperf3 jq ethtool; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "$(id -u)" -ne 0 ]; then
  note "e2e.sh skipped: it needs root"
elif [ "${#missing[@]}" -gt 0 ]; then
  note "e2e.sh skipped: missing ${missing[*]} (bash .ci/run --install-only installs them)"
else
  step "e2e.sh --json (${E2E_SECONDS:-10} s TCP, ${E2E_UDP_SECONDS:-5} s UDP per switch)"
  if ! iov-bench/e2e.sh --json >"$RAW/e2e.txt" 2>"$RAW/e2e.log"; then
    note "e2e.sh failed; see raw/e2e.log"
    rm -f "$RAW/e2e.txt"
  fi
fi

mode=""
[ "$QUICK" -eq 1 ] && mode=" --quick"
label="iov-bench/report.sh$mode at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(( $(date +%s) - started )) s"
step "writing the report"
java -cp "$JAR" dev.iov.bench.report.ReportGenerator --in "$RAW" --out "$OUT" --label "$label"
step "done: $OUT/index.html"
