/**
 * Software virtual switches: the embedded allocation-free switch data plane
 * ({@code dev.iov.ethernet.switching}) and the {@code java-switch} and {@code ovs} backends that bind it to real ports
 * and to Open vSwitch.
 */
package dev.iov.ethernet;
