package dev.iov.api.fabric;

import dev.iov.api.store.ForwardingStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.StoreOp;
import java.util.List;

/** A state store that fails writes where {@link Faults} says, otherwise delegating. */
final class FaultyStore extends ForwardingStateStore {
    private final Faults faults;

    FaultyStore(StateStore delegate, Faults faults) {
        super(delegate);
        this.faults = faults;
    }

    @Override
    public long put(String key, byte[] value, long expectedVersion) {
        check("store put " + key);
        return super.put(key, value, expectedVersion);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        check("store delete " + key);
        return super.delete(key, expectedVersion);
    }

    @Override
    public List<Long> commit(List<? extends StoreOp> ops) {
        // A transaction fails whole: a fault at any of its steps' points means nothing is written.
        for (StoreOp op : ops) {
            check((op instanceof StoreOp.Delete ? "store delete " : "store put ") + op.key());
        }
        return super.commit(ops);
    }

    private void check(String point) {
        synchronized (faults) {
            try {
                faults.check(point);
            } catch (Faults.InjectedFault e) {
                throw new StoreException("injected: disk full at " + point, e);
            }
        }
    }
}
