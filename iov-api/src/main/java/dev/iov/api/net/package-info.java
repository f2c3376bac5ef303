/**
 * Immutable network value types: {@link dev.iov.api.net.MacAddress}, {@link dev.iov.api.net.VlanId},
 * {@link dev.iov.api.net.PciAddress}, {@link dev.iov.api.net.Guid}, {@link dev.iov.api.net.PKey},
 * {@link dev.iov.api.net.Bandwidth} and {@link dev.iov.api.net.InterfaceName}.
 *
 * <p>Every type is validated in its static factory, so an instance is always a legal value. {@code toString()} gives
 * the canonical text form and {@code parse(x.toString())} (or {@code of} for {@code InterfaceName}) gives back an equal
 * value. Bad input raises {@link java.lang.IllegalArgumentException} whose message quotes the input in single quotes
 * and says what is wrong; {@code null} raises {@link java.lang.NullPointerException}.
 */
package dev.iov.api.net;
