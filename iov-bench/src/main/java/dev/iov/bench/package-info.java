/**
 * JMH benchmarks. Each benchmark with a peer runs the peer in the same run so the report can give the ratio.
 */
package dev.iov.bench;
