/**
 * Capture files: {@link dev.iov.ethernet.pcap.PcapWriter} writes frames to a classic libpcap file (not pcapng,
 * linktype 1, Ethernet) that {@code tshark -r}, Wireshark and {@code tcpdump -r} read, with microsecond or
 * nanosecond timestamps ({@link dev.iov.ethernet.pcap.TimestampPrecision}). Mirrors whose output is a file use it.
 */
package dev.iov.ethernet.pcap;
