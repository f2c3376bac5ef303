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

/**
 * Encodes the fabric's records (networks, vNICs) for the state store. Binary, big-endian, versioned by a leading
 * format byte; enums are written by name so that reordering constants never changes the meaning of old records.
 * Decoding validates through the model's constructors, so a record that decodes is a valid model object.
 */
final class RecordCodec {
    private static final int NETWORK_FORMAT = 0x4e01; // 'N' v1
    private static final int VNIC_FORMAT = 0x5601; // 'V' v1

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

    static byte[] encode(Vnic vnic) {
        return write(out -> {
            out.writeShort(VNIC_FORMAT);
            VnicSpec spec = vnic.spec();
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
            writeString(out, vnic.host().value());
            writeString(out, vnic.uplink());
            writeString(out, vnic.backendKind().name());
            Attachment attachment = vnic.attachment();
            writeString(out, attachment.backendId());
            writeString(out, attachment.handle());
            out.writeShort(attachment.details().size());
            for (Map.Entry<String, String> detail : new java.util.TreeMap<>(attachment.details()).entrySet()) {
                writeString(out, detail.getKey());
                writeString(out, detail.getValue());
            }
            writeOptional(out, vnic.addresses().mac().map(MacAddress::toLong));
            writeOptional(out, vnic.addresses().guid().map(Guid::toLong));
        });
    }

    static Vnic decodeVnic(String key, byte[] bytes) {
        return read(key, bytes, in -> {
            expectFormat(in, VNIC_FORMAT);
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
            VnicSpec spec = new VnicSpec(id, vm, network, mac, guid, minRate, maxRate, spoofCheck, trust, backends);
            HostId host = HostId.of(readString(in));
            String uplink = readString(in);
            BackendKind kind = BackendKind.valueOf(readString(in));
            String backendId = readString(in);
            String handle = readString(in);
            int detailCount = in.readUnsignedShort();
            Map<String, String> details = new LinkedHashMap<>();
            for (int i = 0; i < detailCount; i++) {
                details.put(readString(in), readString(in));
            }
            VnicAddresses addresses = new VnicAddresses(readOptional(in).map(MacAddress::of),
                    readOptional(in).map(Guid::of));
            return new Vnic(spec, host, uplink, kind, new Attachment(id, backendId, handle, details), addresses);
        });
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
