package dev.iov.infiniband.hca;

import dev.iov.api.net.PKey;
import dev.iov.linux.sysfs.NumberedState;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One port of an HCA as {@code /sys/class/infiniband/<dev>/ports/<n>/} shows it.
 *
 * @param number the port number (from 1)
 * @param state the logical state, e.g. {@code 4: ACTIVE} ({@code state})
 * @param physicalState the physical state, e.g. {@code 5: LinkUp} ({@code phys_state})
 * @param rate the rate as the kernel words it, e.g. {@code 100 Gb/sec (4X EDR)} ({@code rate})
 * @param lid the port's LID, 0 when unassigned ({@code lid})
 * @param smLid the LID of the subnet manager the port knows ({@code sm_lid})
 * @param linkLayer {@code InfiniBand} or {@code Ethernet} (RoCE) ({@code link_layer})
 * @param pkeys the P_Key table's valid entries in index order ({@code pkeys/<index>}; empty slots left out)
 * @param gids the GID table's non-zero entries by index ({@code gids/<index>})
 */
public record HcaPort(int number, NumberedState state, NumberedState physicalState, String rate, int lid, int smLid,
        String linkLayer, List<PKey> pkeys, SortedMap<Integer, Gid> gids) {

    /** The {@code link_layer} of a native InfiniBand port. */
    public static final String INFINIBAND = "InfiniBand";
    /** The {@code link_layer} of a RoCE port. */
    public static final String ETHERNET = "Ethernet";

    /**
     * @param number the port number, 1-255
     * @param state not null
     * @param physicalState not null
     * @param rate not null
     * @param lid 0-0xffff
     * @param smLid 0-0xffff
     * @param linkLayer not null
     * @param pkeys not null; copied
     * @param gids not null; copied
     */
    public HcaPort {
        if (number < 1 || number > 255) {
            throw new IllegalArgumentException("port number " + number + " is outside 1-255");
        }
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(physicalState, "physicalState");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(linkLayer, "linkLayer");
        checkLid("LID", lid);
        checkLid("SM LID", smLid);
        pkeys = List.copyOf(pkeys);
        gids = Collections.unmodifiableSortedMap(new TreeMap<>(gids));
    }

    private static void checkLid(String what, int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(what + " " + value + " is outside 0-0xffff");
        }
    }

    /** @return true when {@link #linkLayer()} is {@value #INFINIBAND} */
    public boolean isInfiniBand() {
        return INFINIBAND.equals(linkLayer);
    }
}
