package dev.iov.api.fabric;

/**
 * Arms one failure at the n-th fault point reached (a pool, backend or store call). Shared by the faulty test doubles
 * so that "fail at step k" means the same thing whichever component step k is.
 */
final class Faults {
    private final java.util.Set<Integer> armed = new java.util.HashSet<>();
    private int reached;
    private String fired;

    /** Fails the given fault points from now (1 = the next one reached); a later one can hit an undo. */
    void armAt(int... points) {
        armed.clear();
        for (int point : points) {
            armed.add(point);
        }
        reached = 0;
        fired = null;
    }

    void disarm() {
        armed.clear();
    }

    /** @return the first fault point that fired since the last arm, or null */
    String fired() {
        return fired;
    }

    /** @return how many fault points were reached since the last arm */
    int reached() {
        return reached;
    }

    void check(String point) {
        reached++;
        if (armed.contains(reached)) {
            if (fired == null) {
                fired = point;
            }
            throw new InjectedFault(point);
        }
    }

    static final class InjectedFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFault(String point) {
            super("injected fault at " + point);
        }
    }
}
