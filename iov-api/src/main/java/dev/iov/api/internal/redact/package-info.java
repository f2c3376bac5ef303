/**
 * <b>Not API.</b> Nothing under {@code dev.iov.api.internal} is covered by compatibility promises.
 *
 * <p>{@link dev.iov.api.internal.redact.Redact} keeps credentials out of messages, log lines and {@code toString}:
 * the user info and query of URLs, {@code Authorization} header values, {@code password=}/{@code token=} style
 * settings and any literal secret the caller knows of.
 */
package dev.iov.api.internal.redact;
