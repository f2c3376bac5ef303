package dev.iov.infiniband.backend;

import dev.iov.api.model.NetworkKind;
import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PKey;
import dev.iov.api.net.PciAddress;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.infiniband.partition.Membership;
import dev.iov.sriov.backend.VfLease;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An {@code infiniband} attachment and the {@link IbLease} it describes, both ways: attach writes the lease into the
 * attachment's details, and after a restart restore rebuilds the lease from the fabric's record of it (the request
 * gives vNIC, GUID and partition, the details PF, VF, P_Key and membership).
 */
final class IbAttachments {

    private IbAttachments() {
    }

    /**
     * @param backendId the backend
     * @param lease the lease
     * @return its attachment: handle the port GUID, details as {@link InfinibandBackend} names them
     */
    static Attachment describe(String backendId, IbLease lease) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put(InfinibandBackend.PF, lease.vf().pf().toString());
        details.put(InfinibandBackend.PF_NETDEV, lease.vf().pfNetdev().value());
        details.put(InfinibandBackend.VF, Integer.toString(lease.vf().vf()));
        details.put(InfinibandBackend.VF_PCI, lease.vf().address().toString());
        PKey held = lease.membership() == Membership.FULL ? lease.partition().asFull() : lease.partition();
        details.put(InfinibandBackend.PKEY, held.toString());
        details.put(InfinibandBackend.INDEX0, Boolean.toString(lease.index0()));
        return new Attachment(lease.vnic(), backendId, lease.handle(), details);
    }

    /**
     * Rebuilds the lease a recorded attachment describes.
     *
     * @param backendId the backend restoring it
     * @param recorded the record
     * @param defaultIndex0 the index-0 flag for records written before the details carried it
     * @return the lease
     * @throws IllegalArgumentException naming the record and the value when it is not this backend's or does not
     *     describe a lease (another backend, a handle that is not the request's GUID, a detail missing or malformed,
     *     a partition other than the request network's)
     */
    static IbLease leaseOf(String backendId, RecordedAttachment recorded, boolean defaultIndex0) {
        Attachment a = recorded.attachment();
        AttachRequest request = recorded.request();
        String what = "attachment " + a.handle() + " of vNIC '" + a.vnic() + "'";
        if (!a.backendId().equals(backendId)) {
            throw new IllegalArgumentException("infiniband backend '" + backendId + "' cannot restore " + what
                    + ": it was made by backend '" + a.backendId() + "'");
        }
        Guid guid = parse(what, "handle", a.handle(), Guid::parse);
        if (!request.addresses().guid().equals(Optional.of(guid))) {
            throw new IllegalArgumentException(what + ": the recorded request's GUID is "
                    + request.addresses().guid().map(Guid::toString).orElse("none") + ", not the handle");
        }
        if (request.network().kind() != NetworkKind.IB_PARTITION) {
            throw new IllegalArgumentException(what + ": network '" + request.network().id() + "' is "
                    + request.network().kind() + ", not an InfiniBand partition");
        }
        PKey pkey = parse(what, InfinibandBackend.PKEY, detail(a, what, InfinibandBackend.PKEY), PKey::parse);
        PKey partition = request.network().pkey().asLimited();
        if (pkey.partition() != partition.partition()) {
            throw new IllegalArgumentException(what + ": P_Key " + pkey + " is not in network '"
                    + request.network().id() + "' (partition " + partition + ")");
        }
        VfLease vf = new VfLease(
                parse(what, InfinibandBackend.PF, detail(a, what, InfinibandBackend.PF), PciAddress::parse),
                parse(what, InfinibandBackend.PF_NETDEV, detail(a, what, InfinibandBackend.PF_NETDEV),
                        InterfaceName::of),
                parse(what, InfinibandBackend.VF, detail(a, what, InfinibandBackend.VF), IbAttachments::vfNumber),
                parse(what, InfinibandBackend.VF_PCI, detail(a, what, InfinibandBackend.VF_PCI), PciAddress::parse));
        String index0 = a.details().getOrDefault(InfinibandBackend.INDEX0, Boolean.toString(defaultIndex0));
        if (!index0.equals("true") && !index0.equals("false")) {
            throw new IllegalArgumentException(what + ": " + InfinibandBackend.INDEX0 + " '" + index0
                    + "' is not true or false");
        }
        return new IbLease(a.vnic(), guid, vf, partition, pkey.isFullMember() ? Membership.FULL : Membership.LIMITED,
                Boolean.parseBoolean(index0));
    }

    private static String detail(Attachment a, String what, String key) {
        String value = a.details().get(key);
        if (value == null) {
            throw new IllegalArgumentException(what + ": detail '" + key + "' is missing");
        }
        return value;
    }

    private static <T> T parse(String what, String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + key + " '" + value + "' is invalid: " + e.getMessage(),
                    e);
        }
    }

    private static int vfNumber(String text) {
        if (!text.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("not a VF number");
        }
        return Integer.parseInt(text);
    }
}
