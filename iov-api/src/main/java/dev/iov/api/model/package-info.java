/**
 * The fabric model: hosts and their uplinks, networks declared once for the whole fabric, what a caller asks for
 * ({@link dev.iov.api.model.VnicSpec}) and what it gets ({@link dev.iov.api.model.Vnic}). All types are immutable
 * and validate their values when built.
 */
package dev.iov.api.model;
