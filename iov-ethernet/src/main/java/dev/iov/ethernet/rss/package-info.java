/**
 * Receive-side scaling: the {@linkplain dev.iov.ethernet.rss.ToeplitzHash Toeplitz hash} of a flow's addresses and
 * ports (Microsoft's RSS definition, as NICs compute it, table-driven and allocation-free) and the
 * {@linkplain dev.iov.ethernet.rss.Reta redirection table} that turns the hash into a receive queue of a multi-queue
 * port. {@link dev.iov.ethernet.rss.ReferenceToeplitz} is the bit-by-bit definition, kept as the test oracle and
 * benchmark baseline.
 *
 * <pre>{@code
 * ToeplitzHash rss = ToeplitzHash.microsoft();
 * Reta reta = Reta.of(128, 4);
 * int hash = rss.hashIpv4(src, dst, sport, dport);   // addresses as big-endian ints
 * int queue = reta.queue(hash);
 * }</pre>
 */
package dev.iov.ethernet.rss;
