/**
 * The root of iov's public API: {@link dev.iov.api.IovException}, the one exception family every module's failures
 * belong to. The model, the SPI, the fabric, pools and stores live in the sub-packages.
 */
package dev.iov.api;
