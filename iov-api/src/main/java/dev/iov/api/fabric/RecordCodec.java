package dev.iov.api.fabric;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.Attachment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Encodes the fabric's records (networks, vNICs) for the state store. Binary, big-endian, versioned by a leading
 * format byte; enums are written by name so that reordering constants never changes the meaning of old records.
 * Decoding validates through the model's constructors, so a record that decodes is a valid model object.
 */
final class RecordCodec {
    private static final int NETWORK_FORMAT = 0x4e01; // 'N' v1
    private static final int VNIC_FORMAT_V1 = 0x5601; // 'V' v1: an attached vNIC
    private static final int VNIC_FORMAT_V2 = 0x5602; // 'V' v2: v1 + carried counters, attachment optional, intent
    private static final int VNIC_FORMAT = 0x5603; // 'V' v3: v2 + the management node that wrote it

    private RecordCodec() {
    }

    static byte[] encode(Network network) {
        return write(out -> {
            out.writeShort(NETWORK_FORMAT);
            writeString(out, network.id().value());
            writeString(out, network.kind().name());
            out.writeInt(network.segment());
            out.writeInt(network.mtu());
            writeOptional(out, network.defaultMaxRate().map(Bandwidth::bitsPerSecond));
        });
    }

    static Network decodeNetwork(String key, byte[] bytes) {
        return read(key, bytes, in -> {
            expectFormat(in, NETWORK_FORMAT);
            return new Network(NetworkId.of(readString(in)), NetworkKind.valueOf(readString(in)), in.readInt(),
                    in.readInt(), readOptional(in).map(Bandwidth::ofBitsPerSecond));
        });
    }

    static byte[] encode(VnicRecord record) {
        return encode(record, "");
    }

    /**
     * @param writer the management node writing the record, so that other nodes following the store can say whose
     *     change it was; empty when unknown
     */
    static byte[] encode(VnicRecord record, String writer) {
        return write(out -> {
            out.writeShort(VNIC_FORMAT);
            writeSpec(out, record.spec());
            writeOptional(out, record.addresses().mac().map(MacAddress::toLong));
            writeOptional(out, record.addresses().guid().map(Guid::toLong));
            writeStats(out, record.carried());
            out.writeBoolean(record.vnic().isPresent());
            if (record.vnic().isPresent()) {
                Vnic vnic = record.vnic().get();
                writePlace(out, Intent.Place.of(vnic));
                writeAttachment(out, vnic.attachment());
            }
            out.writeBoolean(record.intent().isPresent());
            if (record.intent().isPresent()) {
                Intent intent = record.intent().get();
                writeString(out, intent.kind().name());
                writeString(out, intent.node());
                writePlace(out, intent.place());
                out.writeBoolean(intent.attachment().isPresent());
                if (intent.attachment().isPresent()) {
                    writeAttachment(out, intent.attachment().get());
                }
            }
            writeString(out, writer);
        });
    }

    static VnicRecord decodeVnic(String key, byte[] bytes) {
        return decodeWritten(key, bytes).record();
    }

    /** A vNIC record and the management node that wrote it (empty when the record does not say). */
    record Written(VnicRecord record, String writer) {
    }

    static Written decodeWritten(String key, byte[] bytes) {
        return read(key, bytes, in -> {
            int format = in.readUnsignedShort();
            if (format == VNIC_FORMAT_V1) {
                return new Written(decodeV1(in), "");
            }
            if (format != VNIC_FORMAT && format != VNIC_FORMAT_V2) {
                throw new IOException(String.format("format 0x%04x, expected 0x%04x", format, VNIC_FORMAT));
            }
            VnicSpec spec = readSpec(in);
            VnicAddresses addresses = new VnicAddresses(readOptional(in).map(MacAddress::of),
                    readOptional(in).map(Guid::of));
            VnicStats carried = readStats(in);
            Optional<Vnic> vnic = Optional.empty();
            if (in.readBoolean()) {
                Intent.Place place = readPlace(in);
                vnic = Optional.of(new Vnic(spec, place.host(), place.uplink(), place.kind(),
                        readAttachment(in, spec.id(), place.backendId()), addresses));
            }
            Optional<Intent> intent = Optional.empty();
            if (in.readBoolean()) {
                Intent.Kind kind = Intent.Kind.valueOf(readString(in));
                String node = readString(in);
                Intent.Place place = readPlace(in);
                Optional<Attachment> attachment = in.readBoolean()
                        ? Optional.of(readAttachment(in, spec.id(), place.backendId())) : Optional.empty();
                intent = Optional.of(new Intent(kind, node, place, attachment));
            }
            String writer = format == VNIC_FORMAT ? readString(in) : "";
            return new Written(new VnicRecord(spec, addresses, vnic, intent, carried), writer);
        });
    }

    /** Format 1 (before write-ahead intents and carried counters): an attached vNIC, nothing under way. */
    private static VnicRecord decodeV1(DataInputStream in) throws IOException {
        VnicSpec spec = readSpec(in);
        Intent.Place place = readPlace(in);
        Attachment attachment = readAttachment(in, spec.id(), place.backendId());
        VnicAddresses addresses = new VnicAddresses(readOptional(in).map(MacAddress::of),
                readOptional(in).map(Guid::of));
        return VnicRecord.attached(new Vnic(spec, place.host(), place.uplink(), place.kind(), attachment, addresses),
                VnicStats.ZERO);
    }

    private static void writeSpec(DataOutputStream out, VnicSpec spec) throws IOException {
        writeString(out, spec.id().value());
        writeString(out, spec.vm());
        writeString(out, spec.network().value());
        writeOptional(out, spec.mac().map(MacAddress::toLong));
        writeOptional(out, spec.guid().map(Guid::toLong));
        writeOptional(out, spec.minRate().map(Bandwidth::bitsPerSecond));
        writeOptional(out, spec.maxRate().map(Bandwidth::bitsPerSecond));
        out.writeBoolean(spec.spoofCheck());
        out.writeBoolean(spec.trust());
        out.writeByte(spec.backends().size());
        for (BackendKind kind : spec.backends()) {
            writeString(out, kind.name());
        }
    }

    private static VnicSpec readSpec(DataInputStream in) throws IOException {
        VnicId id = VnicId.of(readString(in));
        String vm = readString(in);
        NetworkId network = NetworkId.of(readString(in));
        Optional<MacAddress> mac = readOptional(in).map(MacAddress::of);
        Optional<Guid> guid = readOptional(in).map(Guid::of);
        Optional<Bandwidth> minRate = readOptional(in).map(Bandwidth::ofBitsPerSecond);
        Optional<Bandwidth> maxRate = readOptional(in).map(Bandwidth::ofBitsPerSecond);
        boolean spoofCheck = in.readBoolean();
        boolean trust = in.readBoolean();
        int kinds = in.readUnsignedByte();
        List<BackendKind> backends = new ArrayList<>(kinds);
        for (int i = 0; i < kinds; i++) {
            backends.add(BackendKind.valueOf(readString(in)));
        }
        return new VnicSpec(id, vm, network, mac, guid, minRate, maxRate, spoofCheck, trust, backends);
    }

    /** Host, uplink, backend kind, then (in the attachment or the intent) the backend id: format 1's order. */
    private static void writePlace(DataOutputStream out, Intent.Place place) throws IOException {
        writeString(out, place.host().value());
        writeString(out, place.uplink());
        writeString(out, place.kind().name());
        writeString(out, place.backendId());
    }

    private static Intent.Place readPlace(DataInputStream in) throws IOException {
        HostId host = HostId.of(readString(in));
        String uplink = readString(in);
        BackendKind kind = BackendKind.valueOf(readString(in));
        return new Intent.Place(host, uplink, readString(in), kind);
    }

    /** The attachment after its place; the backend id is the place's, so it is not written twice. */
    private static void writeAttachment(DataOutputStream out, Attachment attachment) throws IOException {
        writeString(out, attachment.handle());
        out.writeShort(attachment.details().size());
        for (Map.Entry<String, String> detail : new TreeMap<>(attachment.details()).entrySet()) {
            writeString(out, detail.getKey());
            writeString(out, detail.getValue());
        }
    }

    private static Attachment readAttachment(DataInputStream in, VnicId vnic, String backendId) throws IOException {
        String handle = readString(in);
        int detailCount = in.readUnsignedShort();
        Map<String, String> details = new LinkedHashMap<>();
        for (int i = 0; i < detailCount; i++) {
            details.put(readString(in), readString(in));
        }
        return new Attachment(vnic, backendId, handle, details);
    }

    private static void writeStats(DataOutputStream out, VnicStats s) throws IOException {
        for (long counter : new long[] {s.rxPackets(), s.rxBytes(), s.rxDrops(), s.rxErrors(), s.txPackets(),
                s.txBytes(), s.txDrops(), s.txErrors()}) {
            out.writeLong(counter);
        }
    }

    private static VnicStats readStats(DataInputStream in) throws IOException {
        return new VnicStats(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong());
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(String key, byte[] bytes, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            T value = reader.read(in);
            if (in.available() != 0) {
                throw new IOException(in.available() + " unexpected trailing bytes");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new FabricException("read " + key, "state store record '" + key + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private static void expectFormat(DataInputStream in, int format) throws IOException {
        int found = in.readUnsignedShort();
        if (found != format) {
            throw new IOException(String.format("format 0x%04x, expected 0x%04x", found, format));
        }
    }

    /** UTF-8 with an int length: {@code writeUTF} stops at 64 KiB, and backend details (libvirt XML) may not. */
    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("string length " + length + " exceeds the record");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void writeOptional(DataOutputStream out, Optional<Long> value) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeLong(value.get());
        }
    }

    private static Optional<Long> readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readLong()) : Optional.empty();
    }

}
