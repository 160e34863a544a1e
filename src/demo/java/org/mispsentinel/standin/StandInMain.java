package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the stand-ins as a separate process for benchmarks: writes their settings as a properties
 * file, prints {@code STANDIN READY ...}, and on stdin EOF or SIGTERM prints one JSON stats line
 * ({@code STANDIN STATS {...}}) and exits.
 *
 * <pre>
 * --attributes N        synthetic MISP attributes (default 10000)
 * --seed S              synthetic dataset seed (default 1)
 * --rate-limit N/SECS   Sentinel requests per sliding window (default none)
 * --retry-after header|message
 * --ports-file PATH     where to write the properties (default ./standin.properties)
 * --token-lifetime SECS (default 3599)
 * --keep-content        keep every accepted indicator's JSON (off: ids and counts only)
 * --ignore-stdin        wait for SIGTERM only (for callers whose stdin is /dev/null)
 * --sentinel-outage N   Sentinel answers 503 to its next N upload requests (an outage)
 * --objects-share F     share (0..1) of synthetic attributes in MISP objects of up to three (default: a few hashes)
 * --misp-latency-ms N   MISP takes this long to answer every request (a PHP server's 100 ms)
 * --threat-context      synthetic events carry their creator organisation and ATT&CK galaxy tags
 * --apps N              N app registrations, each the only one with the role on a workspace of its own
 *                       (ws1..wsN, written to the properties as workspaces); default 1, the single workspace
 * --progress-seconds N  every N seconds, a line STANDIN PROGRESS min=M total=T: the indicators Sentinel
 *                       accepted in the workspace with the fewest (M) and in all (T), re-sent ones included
 * </pre>
 */
public final class StandInMain {

    private StandInMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("stand-in: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        StandIns standIns = StandIns.builder()
                .dataset(options.dataset())
                .rateLimit(options.rateLimit, options.rateWindow)
                .retryAfter(options.retryAfter)
                .tokenLifetime(options.tokenLifetime)
                .keepContent(options.keepContent)
                // what the benchmarks have measured against since the first run (bench/README.md)
                .answerBeforeReadingBody(true)
                .otherApps(options.apps - 1)
                .start();
        if (options.mispLatencyMs > 0) {
            standIns.misp().latency(Duration.ofMillis(options.mispLatencyMs));
        }
        if (options.sentinelOutage > 0) {
            standIns.sentinel().enqueue(SentinelFault.serverError(503), options.sentinelOutage);
        }
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                out.println("STANDIN STATS " + stats(standIns));
                out.flush();
                standIns.close();
                done.countDown();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            finish.run();
            awaitQuietly(done);
        }, "standin-shutdown"));

        Path file = standIns.writeProperties(options.portsFile,
                options.apps > 1 ? standIns.workspacePerAppProperties() : new java.util.Properties());
        if (options.progressSeconds > 0) {
            startProgress(standIns, options.apps, options.progressSeconds, out);
        }
        out.println("STANDIN READY misp=" + standIns.misp().baseUrl() + " entra=" + standIns.entra().baseUrl()
                + " sentinel=" + standIns.sentinel().baseUrl() + " properties=" + file.toAbsolutePath());
        out.flush();

        if (options.ignoreStdin) {
            awaitQuietly(done);
        } else {
            drain(System.in);
            finish.run();
        }
        System.exit(0);
    }

    /** Prints the accepted indicators per workspace now and then (a benchmark waits on them, live). */
    private static void startProgress(StandIns standIns, int workspaces, int seconds, PrintStream out) {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "standin-progress");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            java.util.Map<String, Long> byWorkspace = acceptedIndicatorsByWorkspace(standIns.sentinel().uploads());
            long min = byWorkspace.size() < workspaces ? 0
                    : byWorkspace.values().stream().mapToLong(Long::longValue).min().orElse(0);
            long total = byWorkspace.values().stream().mapToLong(Long::longValue).sum();
            out.println("STANDIN PROGRESS min=" + min + " total=" + total);
            out.flush();
        }, seconds, seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Indicators in the answered (200) uploads, by workspace id: re-sent ones count again. */
    static java.util.Map<String, Long> acceptedIndicatorsByWorkspace(java.util.List<SentinelStandIn.Upload> uploads) {
        java.util.Map<String, Long> byWorkspace = new java.util.TreeMap<>();
        for (SentinelStandIn.Upload upload : uploads) {
            if (upload.status() == 200) {
                byWorkspace.merge(upload.workspaceId(), (long) upload.indicators(), Long::sum);
            }
        }
        return byWorkspace;
    }

    static ObjectNode stats(StandIns standIns) {
        ObjectNode stats = Json.object();
        ObjectNode misp = stats.putObject("misp");
        misp.put("requests", standIns.misp().requestCount());
        misp.put("objectRequests", standIns.misp().objectRequestCount());
        misp.put("objectSearches", standIns.misp().objectSearchCount());
        // When each restSearch request arrived (epoch millis): the benchmark's start-up time.
        misp.set("requestEpochMs", Json.MAPPER.valueToTree(standIns.misp().requestArrivals()));
        ObjectNode entra = stats.putObject("entra");
        entra.put("tokenRequests", standIns.entra().tokenRequests());
        entra.put("tokensIssued", standIns.tokens().issuedCount());
        SentinelStandIn sentinel = standIns.sentinel();
        ObjectNode sentinelStats = stats.putObject("sentinel");
        sentinelStats.put("requests", sentinel.requests());
        sentinelStats.put("acceptedIndicators", sentinel.acceptedCount());
        sentinelStats.put("acceptedUploads", sentinel.acceptedUploads());
        sentinelStats.put("duplicateUploads", sentinel.duplicateUploads());
        sentinelStats.put("throttled", sentinel.throttledCount());
        sentinelStats.put("earlyRetries", sentinel.earlyRetries());
        // how much of the budget (requests, objects) the context of the indicators took
        sentinelStats.put("requestsAccepted", sentinel.batchSizes().size());
        sentinelStats.put("requestsWithContext", sentinel.requestsWithContext());
        sentinelStats.set("contextByType", Json.MAPPER.valueToTree(sentinel.contextByType()));
        // after how many accepted requests the last indicator was in: under a budget of requests a
        // minute, when detection had everything
        java.util.List<SentinelStandIn.Upload> answered = sentinel.uploads().stream().filter(u -> u.status() == 200).toList();
        int lastIndicators = 0;
        for (int i = 0; i < answered.size(); i++) {
            lastIndicators = answered.get(i).indicators() > 0 ? i + 1 : lastIndicators;
        }
        sentinelStats.put("requestsUntilLastIndicator", lastIndicators);
        // when the last indicator of all was accepted, and how many each workspace got: a sync of several
        sentinelStats.put("lastIndicatorEpochMs", answered.stream().filter(u -> u.indicators() > 0)
                .mapToLong(u -> u.at().toEpochMilli()).max().orElse(0));
        sentinelStats.set("indicatorsByWorkspace", Json.MAPPER.valueToTree(acceptedIndicatorsByWorkspace(answered)));
        sentinelStats.set("batchSizes", Json.MAPPER.valueToTree(sentinel.batchSizeSummary()));
        sentinelStats.set("timeline", timeline(sentinel.uploads()));
        return stats;
    }

    /**
     * Uploads per whole second since the first one (epoch millis {@code startEpochMs}): how many
     * requests had their body read, and how many indicators were accepted, in each second. The
     * rate-limited benchmark counts what was delivered inside whole minutes of this timeline.
     */
    static ObjectNode timeline(java.util.List<SentinelStandIn.Upload> uploads) {
        ObjectNode timeline = Json.object();
        if (uploads.isEmpty()) {
            return timeline;
        }
        long start = uploads.stream().mapToLong(u -> u.at().toEpochMilli()).min().orElseThrow();
        int seconds = (int) ((uploads.stream().mapToLong(u -> u.at().toEpochMilli()).max().orElseThrow() - start) / 1000) + 1;
        long[] requests = new long[seconds];
        long[] accepted = new long[seconds];
        for (SentinelStandIn.Upload upload : uploads) {
            int second = (int) ((upload.at().toEpochMilli() - start) / 1000);
            requests[second]++;
            if (upload.status() == 200) {
                accepted[second] += upload.objects() - upload.rejected();
            }
        }
        timeline.put("startEpochMs", start);
        timeline.set("requestsPerSecond", Json.MAPPER.valueToTree(requests));
        timeline.set("acceptedPerSecond", Json.MAPPER.valueToTree(accepted));
        return timeline;
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[1024];
        try {
            while (in.read(buffer) >= 0) {
                // Only the end of input matters.
            }
        } catch (IOException e) {
            // A broken stdin means the parent is gone: stop as on EOF.
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class Options {
        int attributes = 10_000;
        long seed = 1;
        int rateLimit;
        Duration rateWindow = Duration.ofSeconds(60);
        RetryAfterMode retryAfter = RetryAfterMode.HEADER;
        Path portsFile = Path.of("standin.properties");
        Duration tokenLifetime = EntraStandIn.DEFAULT_EXPIRES_IN;
        boolean keepContent;
        boolean ignoreStdin;
        int sentinelOutage;
        double objectsShare;
        int mispLatencyMs;
        boolean threatContext;
        int apps = 1;
        int progressSeconds;

        SyntheticDataset dataset() {
            SyntheticDataset dataset = new SyntheticDataset(seed, attributes, SyntheticDataset.DEFAULT_START_EPOCH_SECONDS,
                    objectsShare);
            return threatContext ? dataset.withThreatContext() : dataset;
        }

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--keep-content" -> options.keepContent = true;
                    case "--ignore-stdin" -> options.ignoreStdin = true;
                    case "--threat-context" -> options.threatContext = true;
                    case "--attributes", "--seed", "--rate-limit", "--retry-after", "--ports-file", "--token-lifetime",
                            "--sentinel-outage", "--objects-share", "--misp-latency-ms", "--apps", "--progress-seconds" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(arg + " needs a value");
                        }
                        options.set(arg, args[++i]);
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + arg);
                }
            }
            return options;
        }

        private void set(String arg, String value) {
            try {
                switch (arg) {
                    case "--attributes" -> attributes = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--rate-limit" -> {
                        String[] parts = value.split("/");
                        if (parts.length != 2) {
                            throw new IllegalArgumentException("--rate-limit wants N/SECONDS, e.g. 100/60");
                        }
                        rateLimit = Integer.parseInt(parts[0]);
                        rateWindow = Duration.ofSeconds(Long.parseLong(parts[1]));
                    }
                    case "--retry-after" -> retryAfter = switch (value) {
                        case "header" -> RetryAfterMode.HEADER;
                        case "message" -> RetryAfterMode.MESSAGE;
                        default -> throw new IllegalArgumentException("--retry-after wants header or message");
                    };
                    case "--ports-file" -> portsFile = Path.of(value);
                    case "--sentinel-outage" -> sentinelOutage = Integer.parseInt(value);
                    case "--objects-share" -> objectsShare = Double.parseDouble(value);
                    case "--misp-latency-ms" -> mispLatencyMs = Integer.parseInt(value);
                    case "--apps" -> {
                        apps = Integer.parseInt(value);
                        if (apps < 1) {
                            throw new IllegalArgumentException("--apps wants 1 or more");
                        }
                    }
                    case "--progress-seconds" -> progressSeconds = Integer.parseInt(value);
                    case "--token-lifetime" -> tokenLifetime = Duration.ofSeconds(Long.parseLong(value));
                    default -> throw new IllegalArgumentException("unknown argument " + arg);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(arg + ": not a number: " + value);
            }
            if (Files.isDirectory(portsFile)) {
                throw new IllegalArgumentException("--ports-file must name a file, not a directory");
            }
        }
    }
}
