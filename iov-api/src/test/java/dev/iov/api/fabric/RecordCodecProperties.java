package dev.iov.api.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The fabric's state store records are bytes from disk (the journal) or from ZooKeeper: whatever they hold, decoding
 * gives a record or a {@link FabricException} naming the key, never an {@code OutOfMemoryError},
 * {@code NegativeArraySizeException}, {@code IndexOutOfBoundsException} or NPE.
 */
class RecordCodecProperties {

    @Property(tries = 500)
    void randomBytesAreARecordOrAFabricException(@ForAll @Size(max = 300) byte[] bytes) {
        assertOnlyFabricException(() -> RecordCodec.decodeNetwork("iov/networks/n", bytes));
        assertOnlyFabricException(() -> RecordCodec.decodeVnic("iov/vnics/v", bytes));
    }

    @Property(tries = 500)
    void mutatedNetworkRecordsAreARecordOrAFabricException(@ForAll("networks") byte[] valid,
            @ForAll("mutations") int[] mutation) {
        byte[] bytes = mutate(valid, mutation);
        assertOnlyFabricException(() -> RecordCodec.decodeNetwork("iov/networks/n", bytes));
    }

    @Property(tries = 500)
    void mutatedVnicRecordsAreARecordOrAFabricException(@ForAll("vnics") byte[] valid,
            @ForAll("mutations") int[] mutation) {
        byte[] bytes = mutate(valid, mutation);
        assertOnlyFabricException(() -> RecordCodec.decodeVnic("iov/vnics/v", bytes));
    }

    private static void assertOnlyFabricException(Runnable decode) {
        Throwable t = catchThrowable(decode::run);
        if (t != null) {
            assertThat(t).isInstanceOf(FabricException.class).hasMessageContaining("state store record 'iov/");
        }
    }

    /** {position, value, kind}: kind 0 sets a byte, 1 inserts one, 2 drops one, 3 sets four bytes (a length). */
    private static byte[] mutate(byte[] valid, int[] m) {
        int at = m[0] % valid.length;
        byte b = (byte) m[1];
        switch (m[2]) {
            case 0 -> {
                byte[] out = valid.clone();
                out[at] = b;
                return out;
            }
            case 1 -> {
                byte[] out = new byte[valid.length + 1];
                System.arraycopy(valid, 0, out, 0, at);
                out[at] = b;
                System.arraycopy(valid, at, out, at + 1, valid.length - at);
                return out;
            }
            case 2 -> {
                byte[] out = new byte[valid.length - 1];
                System.arraycopy(valid, 0, out, 0, at);
                System.arraycopy(valid, at + 1, out, at, valid.length - at - 1);
                return out;
            }
            default -> {
                byte[] out = Arrays.copyOf(valid, Math.max(valid.length, at + 4));
                int value = m[1] * 0x01010101 ^ 0x7fffff00;
                out[at] = (byte) (value >>> 24);
                out[at + 1] = (byte) (value >>> 16);
                out[at + 2] = (byte) (value >>> 8);
                out[at + 3] = (byte) value;
                return out;
            }
        }
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 3)).as((at, value, kind) -> new int[] {at, value, kind});
    }

    @Provide
    Arbitrary<byte[]> networks() {
        return Arbitraries.integers().between(1, 4094).map(v -> RecordCodec.encode(Network.vlan("net" + v,
                VlanId.of(v))));
    }

    @Provide
    Arbitrary<byte[]> vnics() {
        return Arbitraries.integers().between(1, 99).map(i -> {
            VnicSpec spec = VnicSpec.builder("vnic" + i, "vm" + i, "net" + i).mac(MacAddress.of(0x020000000000L + i))
                    .build();
            Intent intent = new Intent(Intent.Kind.PROVISION, "node-" + i,
                    new Intent.Place(HostId.of("host" + i), "eth" + i, "backend" + i, BackendKind.values()[0]),
                    Optional.empty());
            return RecordCodec.encode(new VnicRecord(spec, new VnicAddresses(spec.mac(), Optional.empty()),
                    Optional.empty(), Optional.of(intent), VnicStats.ZERO));
        });
    }
}
