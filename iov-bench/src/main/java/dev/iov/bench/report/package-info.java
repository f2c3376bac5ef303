/**
 * The benchmark report: reads JMH's JSON results (and the figures of the peers that run outside JMH: DPDK's
 * {@code rte_softrss}, the end-to-end switch runs), compares iov with each peer against the project's goals, and
 * writes {@code index.html} and {@code report.md} with SVG charts. {@link dev.iov.bench.report.ReportGenerator} is
 * the entry point; {@code iov-bench/report.sh} runs the benchmarks and then it.
 */
package dev.iov.bench.report;
