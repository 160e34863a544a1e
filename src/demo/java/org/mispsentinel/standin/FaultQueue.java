package org.mispsentinel.standin;

import java.util.concurrent.ConcurrentLinkedQueue;

/** Faults scripted by a test, consumed one per request in the order they were added. */
final class FaultQueue<F> {

    private final ConcurrentLinkedQueue<F> queue = new ConcurrentLinkedQueue<>();

    void add(F fault, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        for (int i = 0; i < times; i++) {
            queue.add(fault);
        }
    }

    F poll() {
        return queue.poll();
    }

    int pending() {
        return queue.size();
    }

    void clear() {
        queue.clear();
    }
}
