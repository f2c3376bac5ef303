package dev.iov.api.store.journal;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StateStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Runs the {@link StateStoreContract} against {@link JournalStateStore}. */
class JournalStateStoreContractTest extends StateStoreContract {

    @TempDir
    Path directory;

    @Override
    protected StateStore createStore() {
        return JournalStateStore.open(directory);
    }
}
