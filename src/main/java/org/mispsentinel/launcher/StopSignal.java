package org.mispsentinel.launcher;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGTERM (systemd, Kubernetes, docker stop) and SIGINT (Ctrl-C) as a request to stop, which the
 * scheduled run answers itself: it settles the batch in flight, logs the cycle's summary, closes the
 * state store and exits 0. Left to the JVM, the signal starts its shutdown at once: the exit status
 * is then 143 whatever the application does, and the process may halt while it is still closing.
 */
final class StopSignal {

    private final CountDownLatch received = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    private StopSignal() {
    }

    /** Takes over SIGTERM and SIGINT from now on. */
    static StopSignal install() {
        StopSignal signal = new StopSignal();
        try {
            Signal.handle(new Signal("TERM"), s -> signal.received.countDown());
            Signal.handle(new Signal("INT"), s -> signal.received.countDown());
        } catch (IllegalArgumentException | UnsupportedOperationException refused) {
            // the JVM keeps the signals (-Xrs, or a platform without them): stop from its shutdown
            // hook instead, and hold the JVM there until the state store is closed
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                signal.received.countDown();
                try {
                    signal.stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "misp-sentinel-stop"));
        }
        return signal;
    }

    /** Blocks until a stop is asked for. */
    void await() throws InterruptedException {
        received.await();
    }

    /** Everything is closed: a shutdown hook waiting for it may let the JVM halt. */
    void stopped() {
        stopped.countDown();
    }
}
