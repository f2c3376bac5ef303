package dev.iov.api.event;

/**
 * Receives {@link FabricEvent}s. Called on the thread that made the change, after it is durable; must be quick and
 * must not call back into the fabric. An exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface FabricListener {

    /**
     * @param event what happened
     */
    void onEvent(FabricEvent event);
}
