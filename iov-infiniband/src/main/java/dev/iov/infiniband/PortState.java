package dev.iov.infiniband;

/**
 * The logical state of an InfiniBand port as sysfs shows it ({@code ports/<n>/state}, e.g. {@code "4: ACTIVE"}).
 * The numbers are the IBTA PortInfo.PortState values.
 */
public enum PortState {
    /** No state change. */
    NOP(0),
    /** Link down. */
    DOWN(1),
    /** Physical link up, waiting for the subnet manager. */
    INIT(2),
    /** Configured by the subnet manager, not yet passing traffic. */
    ARMED(3),
    /** Passing traffic. */
    ACTIVE(4),
    /** Active, deferred. */
    ACTIVE_DEFER(5);

    private final int number;

    PortState(int number) {
        this.number = number;
    }

    /** @return the IBTA state number */
    public int number() {
        return number;
    }

    /**
     * Parses the sysfs text {@code "N: NAME"}; the number decides, the name must agree.
     *
     * @param text the file's content
     * @return the state
     * @throws IllegalArgumentException when the text is not in that form or number and name disagree
     */
    public static PortState parseSysfs(String text) {
        String trimmed = text.strip();
        int colon = trimmed.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not an InfiniBand port state: '" + text + "'");
        }
        int number;
        try {
            number = Integer.parseInt(trimmed.substring(0, colon).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an InfiniBand port state: '" + text + "'", e);
        }
        String name = trimmed.substring(colon + 1).strip();
        for (PortState state : values()) {
            if (state.number == number) {
                if (!state.name().equals(name)) {
                    throw new IllegalArgumentException(
                            "InfiniBand port state '" + text + "': number " + number + " is " + state.name());
                }
                return state;
            }
        }
        throw new IllegalArgumentException("unknown InfiniBand port state: '" + text + "'");
    }
}
