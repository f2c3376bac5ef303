package dev.iov.api.pool;

import java.util.Arrays;
import java.util.NoSuchElementException;

/** A LIFO stack of primitive {@code long}s in one array that doubles when full. Not thread-safe. */
final class LongStack {

    private long[] items = new long[16];
    private int size;

    void push(long value) {
        if (size == items.length) {
            items = Arrays.copyOf(items, Math.multiplyExact(items.length, 2));
        }
        items[size++] = value;
    }

    long pop() {
        if (size == 0) {
            throw new NoSuchElementException("stack is empty");
        }
        return items[--size];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }
}
