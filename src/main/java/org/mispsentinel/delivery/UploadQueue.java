package org.mispsentinel.delivery;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread that works off a short queue of batches while the poll thread goes on fetching and
 * mapping: a workspace's uploads, and the hand-over of completed batches to them. One thread, so a
 * workspace's uploads never overlap (a 429's wait holds every request back, as it must); a short
 * queue that blocks the caller when full, so a slow or throttled Sentinel slows MISP reading down
 * instead of letting batches pile up in memory.
 */
public final class UploadQueue extends ThreadPoolExecutor {

    private final java.util.concurrent.atomic.AtomicLong busyNanos = new java.util.concurrent.atomic.AtomicLong();
    private final ThreadLocal<Long> started = new ThreadLocal<>();

    public UploadQueue(int capacity, String threadName) {
        this(capacity, threadName, false);
    }

    /**
     * The hand-over of completed batches to the workspaces' upload threads. Once it is shut down
     * (misp-sentinel is stopping) a batch completed by the cycle's last flush, or by Camel's forced
     * completion on stop, is handed over on the caller's thread, where the stopped workspace releases
     * it. Refusing it instead would leave Camel's aggregator counting it as in progress for good, and
     * the route's stop would wait out its whole shutdown timeout.
     */
    public static UploadQueue handOver(String threadName) {
        return new UploadQueue(1, threadName, true);
    }

    private UploadQueue(int capacity, String threadName, boolean refusedRunsOnCaller) {
        super(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                r -> {
                    Thread t = new Thread(r, threadName);
                    t.setDaemon(true);
                    return t;
                },
                (task, executor) -> {
                    if (executor.isShutdown() && refusedRunsOnCaller) {
                        task.run();
                        return;
                    }
                    if (executor.isShutdown()) {
                        throw new RejectedExecutionException("upload queue is shut down");
                    }
                    try {
                        executor.getQueue().put(task);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RejectedExecutionException("interrupted while waiting for the upload queue", e);
                    }
                });
        // the thread exists before anything is queued, so offer() can put work straight on the queue
        prestartCoreThread();
    }

    /**
     * Queues an upload, waiting at most {@code maxWait} for room; false when there was none, that is
     * when this workspace's uploads have not moved for that long.
     */
    public boolean offer(Runnable upload, java.time.Duration maxWait) {
        if (isShutdown()) {
            throw new RejectedExecutionException("upload queue is shut down");
        }
        try {
            return getQueue().offer(withCallersContext(upload), maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for the upload queue", e);
        }
    }

    /** The batch runs with the logging context of the thread that handed it over (the cycle's id). */
    @Override
    public void execute(Runnable command) {
        super.execute(withCallersContext(command));
    }

    private static Runnable withCallersContext(Runnable task) {
        java.util.Map<String, String> context = org.slf4j.MDC.getCopyOfContextMap();
        if (context == null) {
            return task;
        }
        return () -> {
            // a refused hand-over runs on the caller's own thread: its context is put back after
            java.util.Map<String, String> before = org.slf4j.MDC.getCopyOfContextMap();
            org.slf4j.MDC.setContextMap(context);
            try {
                task.run();
            } finally {
                if (before == null) {
                    org.slf4j.MDC.clear();
                } else {
                    org.slf4j.MDC.setContextMap(before);
                }
            }
        };
    }

    @Override
    protected void beforeExecute(Thread t, Runnable r) {
        started.set(System.nanoTime());
    }

    @Override
    protected void afterExecute(Runnable r, Throwable t) {
        busyNanos.addAndGet(System.nanoTime() - started.get());
    }

    /** Time spent uploading and settling batches (throttle waits and retries included). */
    public long busyNanos() {
        return busyNanos.get();
    }

    /**
     * Like {@link #drain()}, but gives up when no upload finished for {@code stalled}: false then, and
     * the batches still queued or in flight are left to finish or fail on their own.
     */
    public boolean drain(java.time.Duration stalled) {
        if (isShutdown()) {
            drain();
            return true;
        }
        java.util.concurrent.FutureTask<Void> barrier = new java.util.concurrent.FutureTask<>(() -> { }, null);
        if (!offer(barrier, stalled)) {
            return false;
        }
        try {
            while (true) {
                long finished = getCompletedTaskCount();
                try {
                    barrier.get(stalled.toMillis(), TimeUnit.MILLISECONDS);
                    return true;
                } catch (java.util.concurrent.TimeoutException e) {
                    // a workspace that works off a long queue is moving; one stuck on one batch is not
                    if (getCompletedTaskCount() == finished) {
                        getQueue().remove(barrier);
                        return false;
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for uploads", e);
        }
    }

    /** Returns once every batch handed over before this call has been uploaded and settled. */
    public void drain() {
        try {
            if (isShutdown()) {
                // stopping: what was handed over finishes on its own, nothing new is taken
                awaitTermination(1, TimeUnit.MINUTES);
                return;
            }
            submit(() -> { }).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for uploads", e);
        }
    }
}
