package dev.iov.api.fabric;

import dev.iov.api.model.Vnic;

/**
 * A vNIC the fabric holds in memory: its record as last written or read, the record's version, and what it is
 * charged on its uplink (null while its host is not in the fabric).
 *
 * @param record the record
 * @param version the record's version in the store
 * @param charge the admission charge, or null
 */
record VnicEntry(VnicRecord record, long version, Charge charge) {

    Vnic vnic() {
        return record.attachedVnic();
    }

    VnicEntry with(VnicRecord newRecord, long newVersion) {
        return new VnicEntry(newRecord, newVersion, charge);
    }
}
