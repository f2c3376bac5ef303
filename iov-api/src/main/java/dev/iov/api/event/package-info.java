/** Events the fabric emits after each change: provisioned, released, migrated, drift found, backend failed. */
package dev.iov.api.event;
