/**
 * Receive-side scaling: the table-driven Toeplitz hash against the bit-by-bit definition and, in C, DPDK's
 * {@code rte_softrss} ({@code iov-bench/peers/}); {@link dev.iov.bench.rss.RssComparison} runs both in one run.
 */
package dev.iov.bench.rss;
