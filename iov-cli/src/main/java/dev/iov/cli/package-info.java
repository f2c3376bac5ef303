/** The {@code iov} command (picocli). */
package dev.iov.cli;
