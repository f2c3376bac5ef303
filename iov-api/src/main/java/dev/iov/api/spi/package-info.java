/**
 * The backend SPI: what a plug-in implements to realise vNICs ({@link dev.iov.api.spi.IoBackend}), how it is found
 * ({@link dev.iov.api.spi.BackendProvider} through {@link java.util.ServiceLoader}), and the values passed across.
 */
package dev.iov.api.spi;
