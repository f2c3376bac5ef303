/** Benchmarks of the native layer against what it replaces: forking iproute2, and raw frame I/O. */
package dev.iov.bench.linux;
