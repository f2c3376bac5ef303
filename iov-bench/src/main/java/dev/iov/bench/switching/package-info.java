/**
 * Benchmarks of the switch's MAC learning table against general-purpose hash maps (JDK {@code HashMap}, fastutil,
 * Agrona) doing the same work behind one small interface.
 */
package dev.iov.bench.switching;
