/**
 * End-to-end measurements driven by {@code iov-bench/e2e.sh}: programs that stand up one switch on real devices so
 * that iperf3 can push traffic through it next to its peers (OVS's userspace datapath, the Linux bridge).
 */
package dev.iov.bench.e2e;
