package dev.iov.infiniband.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iov.api.model.VnicId;
import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PKey;
import dev.iov.api.net.PciAddress;
import dev.iov.api.store.StoreException;
import dev.iov.infiniband.partition.Membership;
import dev.iov.sriov.backend.VfLease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * An {@link IbLease} as a store value: one JSON object of strings, every field required, nothing else allowed, so a
 * record written by another version fails loudly instead of losing a field.
 */
final class IbLeaseCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS =
            Set.of("vnic", "guid", "pf", "pfNetdev", "vf", "vfPci", "partition", "membership", "index0");

    private IbLeaseCodec() {
    }

    static byte[] encode(IbLease lease) {
        ObjectNode o = JSON.createObjectNode();
        o.put("vnic", lease.vnic().value());
        o.put("guid", lease.guid().toString());
        o.put("pf", lease.vf().pf().toString());
        o.put("pfNetdev", lease.vf().pfNetdev().value());
        o.put("vf", lease.vf().vf());
        o.put("vfPci", lease.vf().address().toString());
        o.put("partition", lease.partition().toString());
        o.put("membership", lease.membership().word());
        o.put("index0", lease.index0());
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param key the store key, named in errors
     * @param value the stored bytes
     * @return the lease
     * @throws StoreException naming the key and what is wrong, for anything but a record {@link #encode} wrote
     */
    static IbLease decode(String key, byte[] value) {
        try {
            JsonNode o = JSON.readTree(value);
            if (o == null || !o.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw new IllegalArgumentException("unknown field '" + name + "'");
                }
            }
            JsonNode vf = field(o, "vf");
            JsonNode index0 = field(o, "index0");
            if (!vf.isInt() || vf.intValue() < 0) {
                throw new IllegalArgumentException("vf " + vf + " is not a VF number");
            }
            if (!index0.isBoolean()) {
                throw new IllegalArgumentException("index0 " + index0 + " is not true or false");
            }
            VfLease lease = new VfLease(PciAddress.parse(text(o, "pf")), InterfaceName.of(text(o, "pfNetdev")),
                    vf.intValue(), PciAddress.parse(text(o, "vfPci")));
            return new IbLease(VnicId.of(text(o, "vnic")), Guid.parse(text(o, "guid")), lease,
                    PKey.parse(text(o, "partition")), membership(text(o, "membership")), index0.booleanValue());
        } catch (JsonProcessingException e) {
            throw new StoreException("InfiniBand lease " + key + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new StoreException("InfiniBand lease " + key + " cannot be read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new StoreException("InfiniBand lease " + key + " is invalid: " + e.getMessage(), e);
        }
    }

    private static JsonNode field(JsonNode o, String name) {
        JsonNode node = o.get(name);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("field '" + name + "' is missing");
        }
        return node;
    }

    private static String text(JsonNode o, String name) {
        JsonNode node = field(o, name);
        if (!node.isTextual()) {
            throw new IllegalArgumentException("field '" + name + "' is " + node + ", not a string");
        }
        return node.textValue();
    }

    private static Membership membership(String word) {
        for (Membership m : Membership.values()) {
            if (m.word().equals(word) && m != Membership.BOTH) {
                return m;
            }
        }
        throw new IllegalArgumentException("membership '" + word.toLowerCase(Locale.ROOT) + "' is not full or limited");
    }
}
