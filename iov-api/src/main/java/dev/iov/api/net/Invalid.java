package dev.iov.api.net;

/** Builds the one message shape every value type uses, so callers can rely on it: {@code invalid KIND 'INPUT': WHY}. */
final class Invalid {

    private Invalid() {
    }

    static IllegalArgumentException value(String kind, String input, String reason) {
        return new IllegalArgumentException("invalid " + kind + " '" + input + "': " + reason);
    }
}
