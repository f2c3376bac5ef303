package dev.iov.api.store;

/** Runs the {@link StateStoreContract} against {@link InMemoryStateStore}. */
class InMemoryStateStoreTest extends StateStoreContract {

    @Override
    protected StateStore createStore() {
        return new InMemoryStateStore("contract-test");
    }
}
