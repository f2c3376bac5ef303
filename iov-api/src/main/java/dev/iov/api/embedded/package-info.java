/**
 * An in-memory backend for applications' tests, demos and control-plane benchmarks: it behaves like a device that
 * remembers its ports, without touching the host.
 */
package dev.iov.api.embedded;
