package org.mispsentinel.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTPS server on an ephemeral loopback port. Subclasses finish their own set-up and then call
 * {@link #start()}, so that no request reaches a half-built handler.
 */
public abstract class StandInServer<F, S extends StandInServer<F, S>> implements AutoCloseable {

    /** Enough for a few concurrent clients and a few requests parked in a delay fault. */
    static final int DEFAULT_THREADS = 8;
    private static final int REQUEST_LOG_CAPACITY = 1_000;

    static {
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm on,
        // a small answer then waits for the client's delayed ACK (~40 ms), which no real MISP or
        // Sentinel adds. Read once, when the first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String name;
    private final HttpsServer server;
    private final ThreadPoolExecutor executor;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Deque<String> requestLog = new ArrayDeque<>();
    private final FaultQueue<F> faults = new FaultQueue<>();

    protected StandInServer(String name, int threads) {
        this.name = name;
        try {
            // 127.0.0.1 rather than "localhost": the latter may resolve to a non-loopback address on
            // oddly configured hosts, and nothing here may ever listen beyond loopback.
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
            this.server = HttpsServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the " + name + " stand-in", e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(StandInTls.serverContext()));
        AtomicInteger threadNumber = new AtomicInteger();
        // Fixed thread count, so a misbehaving client cannot make the stand-in grow without bound.
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "standin-" + name + "-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                logRequest(exchange);
                handle(exchange);
            } catch (IOException | RuntimeException e) {
                // The client went away or the handler broke: either way the connection is done.
                Exchanges.abort(exchange);
            }
        });
    }

    protected abstract void handle(HttpExchange exchange) throws IOException;

    /** Applies {@code fault} to the next request that has none scripted yet. */
    public final S enqueue(F fault) {
        return enqueue(fault, 1);
    }

    @SuppressWarnings("unchecked")
    public final S enqueue(F fault, int times) {
        faults.add(fault, times);
        return (S) this;
    }

    public final int pendingFaults() {
        return faults.pending();
    }

    public final void clearFaults() {
        faults.clear();
    }

    /** The fault scripted for the request being handled, or null. */
    protected final F nextFault() {
        return faults.poll();
    }

    /** Refuses TLS handshakes without a client certificate issued to the stand-in key; call before {@link #start()}. */
    protected final void requireClientCertificate() {
        server.setHttpsConfigurator(new HttpsConfigurator(StandInTls.mutualServerContext()) {
            @Override
            public void configure(com.sun.net.httpserver.HttpsParameters params) {
                javax.net.ssl.SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
    }

    protected final void start() {
        server.start();
    }

    public final String name() {
        return name;
    }

    public final int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://localhost:<port>}: the certificate names localhost, not the bound address. */
    public final String baseUrl() {
        return "https://localhost:" + port();
    }

    /** The last requests as {@code METHOD /path?query}, oldest first (bounded). */
    public final List<String> requestLog() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    public final boolean isClosed() {
        return closed.getCount() == 0;
    }

    /**
     * Waits as a delay fault asks, but gives up as soon as the server closes, so that a test that
     * scripted a long delay never makes its tear-down wait for it.
     *
     * @return true to go on answering; false when the server closed during the wait, and the
     *         exchange was dropped
     */
    protected final boolean pauseOrAbort(HttpExchange exchange, Duration duration) {
        boolean closedMeanwhile;
        try {
            closedMeanwhile = closed.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closedMeanwhile = true;
        }
        if (closedMeanwhile) {
            Exchanges.abort(exchange);
        }
        return !closedMeanwhile;
    }

    private void logRequest(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        String line = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                + (query == null ? "" : "?" + query);
        synchronized (requestLog) {
            if (requestLog.size() == REQUEST_LOG_CAPACITY) {
                requestLog.removeFirst();
            }
            requestLog.addLast(line);
        }
    }

    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " stand-in at " + baseUrl();
    }
}
