package dev.iov.infiniband.partition;

import dev.iov.api.net.PKey;

import java.util.List;

/**
 * How a port belongs to a partition. A full member gets the P_Key with bit 15 set, a limited member the key without
 * it; {@link #BOTH} gives the port both keys (OpenSM adds the limited one only with {@code allow_both_pkeys}, so the
 * port is at least a full member). Two limited members cannot talk to each other; every other pair can.
 */
public enum Membership {
    /** Full member: may talk to every member of the partition. */
    FULL("full"),
    /** Limited member: may talk to full members only. */
    LIMITED("limited"),
    /** Full and limited key (full whenever it matters for reachability). */
    BOTH("both");

    private final String word;

    Membership(String word) {
        this.word = word;
    }

    /** @return the word OpenSM writes and reads: {@code full}, {@code limited} or {@code both} */
    public String word() {
        return word;
    }

    /**
     * Reads a membership word the way OpenSM does: any non-empty prefix of {@code full}, {@code both} or
     * {@code limited}, case-sensitive, tried in that order ({@code strncmp(flag, "full", strlen(flag))}).
     *
     * @param text e.g. {@code full}, {@code f}, {@code limi}
     * @return the membership, or null when the text is empty or no prefix of the three words
     */
    static Membership fromAbbreviation(String text) {
        if (text.isEmpty()) {
            return null;
        }
        for (Membership m : List.of(FULL, BOTH, LIMITED)) {
            if (m.word.startsWith(text)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Tells whether a port with this membership can exchange packets with a port with {@code other} in the same
     * partition: only two limited members cannot.
     *
     * @param other the other port's membership
     * @return false only when both are {@link #LIMITED}
     */
    public boolean canCommunicateWith(Membership other) {
        return this != LIMITED || other != LIMITED;
    }

    /**
     * The P_Keys a port with this membership gets in the partition {@code partition}.
     *
     * @param partition the partition's key (the membership bit is ignored)
     * @return the full key, the limited key, or both (full first)
     */
    public List<PKey> keysIn(PKey partition) {
        switch (this) {
            case FULL:
                return List.of(partition.asFull());
            case LIMITED:
                return List.of(partition.asLimited());
            default:
                return List.of(partition.asFull(), partition.asLimited());
        }
    }
}
