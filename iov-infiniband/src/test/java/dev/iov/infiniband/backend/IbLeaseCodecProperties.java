package dev.iov.infiniband.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PKey;
import dev.iov.api.net.PciAddress;
import dev.iov.api.store.StoreException;
import dev.iov.infiniband.partition.Membership;
import dev.iov.sriov.backend.VfLease;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Lease records: every lease survives the store, and nothing but a lease's own form is accepted. */
class IbLeaseCodecProperties {

    @Property
    void everyLeaseRoundTrips(@ForAll("leases") IbLease lease) {
        assertThat(IbLeaseCodec.decode("k", IbLeaseCodec.encode(lease))).isEqualTo(lease);
    }

    @Property
    void randomBytesAreAStoreExceptionOrALease(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            assertThat(IbLeaseCodec.decode("k", bytes)).isNotNull();
        } catch (StoreException e) {
            assertThat(e.getMessage()).startsWith("InfiniBand lease k ");
        }
    }

    /** Any one byte of a valid lease changed, inserted or dropped: a lease, or the documented exception. */
    @Property(tries = 500)
    void aLeaseWithOneByteChangedIsAStoreExceptionOrALease(@ForAll("leases") IbLease lease,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 10_000) int at, @ForAll byte b,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 2) int kind) {
        byte[] valid = IbLeaseCodec.encode(lease);
        int i = at % valid.length;
        byte[] bytes = switch (kind) {
            case 0 -> {
                byte[] out = valid.clone();
                out[i] = b;
                yield out;
            }
            case 1 -> {
                byte[] out = new byte[valid.length + 1];
                System.arraycopy(valid, 0, out, 0, i);
                out[i] = b;
                System.arraycopy(valid, i, out, i + 1, valid.length - i);
                yield out;
            }
            default -> {
                byte[] out = new byte[valid.length - 1];
                System.arraycopy(valid, 0, out, 0, i);
                System.arraycopy(valid, i + 1, out, i, valid.length - i - 1);
                yield out;
            }
        };
        try {
            assertThat(IbLeaseCodec.decode("k", bytes)).isNotNull();
        } catch (StoreException e) {
            assertThat(e.getMessage()).startsWith("InfiniBand lease k ");
        }
    }

    @Property
    void aDamagedLeaseIsAStoreExceptionNamingTheKey(@ForAll("leases") IbLease lease,
            @ForAll("damage") String[] change) {
        String json = new String(IbLeaseCodec.encode(lease), StandardCharsets.UTF_8).replace(change[0], change[1]);
        if (json.equals(new String(IbLeaseCodec.encode(lease), StandardCharsets.UTF_8))) {
            return;
        }
        assertThatThrownBy(() -> IbLeaseCodec.decode("iov/ib-leases/b/x", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(StoreException.class).hasMessageContaining("iov/ib-leases/b/x");
    }

    @Test
    void membershipBothAndUnknownFieldsAreRefused() {
        IbLease lease = new IbLease(VnicId.of("a"), Guid.of(1), vf(0), PKey.of(0x8001), Membership.FULL, false);
        String json = new String(IbLeaseCodec.encode(lease), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> IbLeaseCodec.decode("k", json.replace("\"full\"", "\"both\"").getBytes()))
                .hasMessageContaining("membership 'both'");
        assertThatThrownBy(() -> IbLeaseCodec.decode("k", json.replace("{", "{\"x\":1,").getBytes()))
                .hasMessageContaining("unknown field 'x'");
        assertThat(lease.partition()).as("kept in limited form").isEqualTo(PKey.of(0x0001));
    }

    @Provide
    Arbitrary<String[]> damage() {
        return Arbitraries.of(new String[] {"\"vf\":", "\"vf\":\"x\","}, new String[] {"\"guid\"", "\"gid\""},
                new String[] {"\"index0\":", "\"index0\":1,\"y\":"}, new String[] {":\"0x", ":\"0y"},
                new String[] {"}", ""}, new String[] {"ib", "i b"});
    }

    @Provide
    Arbitrary<IbLease> leases() {
        Arbitrary<VnicId> vnic = Arbitraries.strings().withChars("abcxyz019.-_").ofMinLength(1).ofMaxLength(20)
                .map(s -> VnicId.of("v" + s));
        Arbitrary<Guid> guid = Arbitraries.longs().filter(v -> v != 0).map(Guid::of);
        Arbitrary<VfLease> vf = Arbitraries.integers().between(0, 255).map(IbLeaseCodecProperties::vf);
        Arbitrary<PKey> pkey = Arbitraries.integers().between(1, 0x7ffe).map(PKey::of);
        Arbitrary<Membership> membership = Arbitraries.of(Membership.FULL, Membership.LIMITED);
        return Combinators.combine(vnic, guid, vf, pkey, membership, Arbitraries.of(true, false))
                .as(IbLease::new);
    }

    private static VfLease vf(int n) {
        return new VfLease(PciAddress.parse("0000:86:00.0"), InterfaceName.of("ib" + (n % 3)), n,
                PciAddress.of(0, 0x86, n / 8, n % 8));
    }
}
