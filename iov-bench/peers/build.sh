#!/usr/bin/env bash
# Builds the C peers of the iov-bench benchmarks (see README.md beside this script).
#   iov-bench/peers/build.sh [OUTPUT_DIR]     default: iov-bench/target/peers
# Needs gcc and Debian's libdpdk-dev (headers only: rte_softrss is an inline function, nothing is linked and no
# EAL, hugepages or NIC are needed). Prints the path of each program it built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../target/peers}"
mkdir -p "$out"

if [ ! -e /usr/include/dpdk/rte_thash.h ]; then
  echo "build.sh: /usr/include/dpdk/rte_thash.h not found; install the headers: apt-get install libdpdk-dev" >&2
  exit 1
fi
# DPDK's own flags when pkg-config knows libdpdk (they add -include rte_config.h and -march=corei7); otherwise the
# same include directories by hand: the generic headers and the per-architecture ones (rte_config.h, byte order).
if command -v pkg-config >/dev/null && pkg-config --exists libdpdk; then
  read -r -a dpdk_cflags <<<"$(pkg-config --cflags libdpdk)"
else
  multiarch="$(gcc -print-multiarch)"
  dpdk_cflags=(-I/usr/include/dpdk "-I/usr/include/$multiarch/dpdk" -include rte_config.h)
  if [ "$(uname -m)" = x86_64 ]; then
    dpdk_cflags+=(-march=corei7)
  fi
fi

# -O2 as DPDK's own release builds use; -Wno-* silence warnings inside DPDK's headers, not in rss_softrss.c.
gcc -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter -Wno-address-of-packed-member "${dpdk_cflags[@]}" \
    -o "$out/rss_softrss" "$here/rss_softrss.c"
echo "$out/rss_softrss"
