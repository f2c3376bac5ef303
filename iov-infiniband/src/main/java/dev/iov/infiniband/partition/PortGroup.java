package dev.iov.infiniband.partition;

/**
 * The keywords OpenSM accepts in place of a port GUID in a partition's member list. OpenSM resolves them against the
 * fabric it discovered; iov keeps them as written.
 */
public enum PortGroup {
    /** Every end port in the subnet. */
    ALL,
    /** Every channel-adapter (HCA) end port. */
    ALL_CAS,
    /** Every switch end port (port 0 of each switch). */
    ALL_SWITCHES,
    /** Every router end port. */
    ALL_ROUTERS,
    /** The subnet manager's own port. */
    SELF;

    /**
     * Reads a keyword the way OpenSM does: a non-empty prefix of the keyword, case-sensitive, tried in declaration
     * order ({@code strncmp(name, "ALL", strlen(name))}), so {@code A} is {@link #ALL} and {@code ALL_C} is
     * {@link #ALL_CAS}.
     *
     * @param text the member text
     * @return the group, or null when the text is no prefix of a keyword
     */
    static PortGroup fromAbbreviation(String text) {
        if (text.isEmpty()) {
            return null;
        }
        for (PortGroup g : values()) {
            if (g.name().startsWith(text)) {
                return g;
            }
        }
        return null;
    }
}
