import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arithmetic of bench/run, so that the script needs nothing but bash and a JDK (no jq, no
 * Python). Compiled by bench/run against the product jar (for Jackson). Every subcommand prints
 * {@code key=value} lines that bench/run appends to its results file, except {@code env} (shell
 * exports) and {@code report} (the table).
 */
public final class BenchTool {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUMMARY = Pattern.compile("cycle (?:complete|INCOMPLETE): (.*)$");
    private static final Pattern KV = Pattern.compile("(\\w+)=(\\S+)");
    private static final Pattern SPLIT = Pattern.compile("duration=([\\d.]+)s \\(misp=([\\d.]+)s mapping=([\\d.]+)s upload=([\\d.]+)s\\)");
    private static final Pattern STAMP = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(?:Z|[+-]\\d\\d:\\d\\d))");
    private static final Pattern PAUSE = Pattern.compile("\\[gc\\s*\\] GC\\(\\d+\\) (Pause [^(]*).* ([\\d.]+)ms$");
    private static final Pattern COLLECTOR = Pattern.compile("\\[gc\\s*\\] Using (.*)$");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "env" -> env(Path.of(args[1]));
            case "cycle" -> cycle(Path.of(args[1]), args[2]);
            case "giveup" -> giveup(Path.of(args[1]), Long.parseLong(args[2]));
            case "gc" -> gc(Path.of(args[1]), args[2]);
            case "stats" -> stats(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
            case "startup" -> startup(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), args[4]);
            case "jmh" -> jmh(Path.of(args[1]), args[2]);
            case "context" -> context(Path.of(args[1]), args[2]);
            case "report" -> report(Path.of(args[1]));
            case "ab" -> ab(Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown subcommand " + args[0]);
        }
    }

    /** The stand-ins' properties as environment variables (misp.url -> MISP_URL), shell-quoted. */
    static void env(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        for (String key : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
            String name = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            System.out.println("export " + name + "='" + p.getProperty(key).replace("'", "'\\''") + "'");
        }
    }

    /** The last cycle summary line of a product log, and when its cycle started. */
    static void cycle(Path log, String prefix) throws IOException {
        String summary = null;
        Long started = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains("poll cycle started") && started == null) {
                started = stamp(line);
            }
            Matcher m = SUMMARY.matcher(line);
            if (m.find()) {
                summary = m.group(1);
            }
        }
        if (started != null) {
            out(prefix, "cycle_started_ms", started);
        }
        if (summary == null) {
            out(prefix, "summary", "missing");
            return;
        }
        Matcher kv = KV.matcher(summary.replaceAll("\\(.*?\\)", ""));
        while (kv.find()) {
            if (!kv.group(1).equals("duration") && !kv.group(1).equals("checkpoint")) {
                out(prefix, kv.group(1), kv.group(2));
            }
        }
        Matcher split = SPLIT.matcher(summary);
        if (split.find()) {
            out(prefix, "duration_s", split.group(1));
            out(prefix, "misp_s", split.group(2));
            out(prefix, "mapping_s", split.group(3));
            out(prefix, "upload_s", split.group(4));
        }
    }

    /** An outage run: its cycle summary, and seconds from "poll cycle started" to the process's exit. */
    static void giveup(Path log, long exitEpochMs) throws IOException {
        cycle(log, "giveup");
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains("poll cycle started")) {
                out("giveup", "after_cycle_start_s", String.format(Locale.ROOT, "%.1f", (exitEpochMs - stamp(line)) / 1000.0));
                return;
            }
        }
    }

    /** Stop-the-world pauses from -Xlog:gc: count, sum and longest, in ms. */
    static void gc(Path log, String prefix) throws IOException {
        int count = 0;
        double total = 0;
        double max = 0;
        String collector = "?";
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher c = COLLECTOR.matcher(line);
            if (c.find()) {
                collector = c.group(1).trim().replace(' ', '_');
            }
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                double ms = Double.parseDouble(m.group(2));
                count++;
                total += ms;
                max = Math.max(max, ms);
            }
        }
        out(prefix, "gc_collector", collector);
        out(prefix, "gc_pauses", count);
        out(prefix, "gc_pause_total_ms", fmt(total));
        out(prefix, "gc_pause_max_ms", fmt(max));
    }

    /** The stand-in's STATS line; with window > 0, what Sentinel accepted in the first window seconds. */
    static void stats(Path file, String prefix, int window) throws IOException {
        String line = Files.readAllLines(file).stream().filter(l -> l.startsWith("STANDIN STATS ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no STANDIN STATS line in " + file));
        JsonNode stats = JSON.readTree(line.substring("STANDIN STATS ".length()));
        JsonNode sentinel = stats.path("sentinel");
        out(prefix, "misp_requests", stats.path("misp").path("requests").asLong());
        out(prefix, "misp_object_requests", stats.path("misp").path("objectRequests").asLong());
        out(prefix, "misp_object_searches", stats.path("misp").path("objectSearches").asLong());
        out(prefix, "sentinel_requests", sentinel.path("requests").asLong());
        out(prefix, "sentinel_accepted", sentinel.path("acceptedUploads").asLong());
        out(prefix, "sentinel_throttled", sentinel.path("throttled").asLong());
        out(prefix, "sentinel_early_retries", sentinel.path("earlyRetries").asLong());
        out(prefix, "sentinel_batch_mean", fmt(sentinel.path("batchSizes").path("mean").asDouble()));
        JsonNode timeline = sentinel.path("timeline");
        if (window > 0 && timeline.has("acceptedPerSecond")) {
            JsonNode accepted = timeline.get("acceptedPerSecond");
            JsonNode requests = timeline.get("requestsPerSecond");
            long inWindow = 0;
            long requestsInWindow = 0;
            long after = 0;
            for (int s = 0; s < accepted.size(); s++) {
                if (s < window) {
                    inWindow += accepted.get(s).asLong();
                    requestsInWindow += requests.get(s).asLong();
                } else {
                    after += requests.get(s).asLong();
                }
            }
            out(prefix, "window_s", window);
            out(prefix, "window_accepted", inWindow);
            out(prefix, "window_requests_read", requestsInWindow);
            out(prefix, "timeline_s", accepted.size());
            // The window only measures the throttle if the product still had work when it closed.
            out(prefix, "busy_after_window", after > 0);
        }
    }

    /** The context's share of what the stand-in accepted: requests carrying any, and objects. */
    static void context(Path file, String prefix) throws IOException {
        String line = Files.readAllLines(file).stream().filter(l -> l.startsWith("STANDIN STATS ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no STANDIN STATS line in " + file));
        JsonNode sentinel = JSON.readTree(line.substring("STANDIN STATS ".length())).path("sentinel");
        long context = 0;
        for (JsonNode n : sentinel.path("contextByType")) {
            context += n.asLong();
        }
        sentinel.path("contextByType").fields().forEachRemaining(e -> out(prefix, "context_" + e.getKey(), e.getValue().asLong()));
        out(prefix, "requests", sentinel.path("requestsAccepted").asLong());
        out(prefix, "requests_with_context", sentinel.path("requestsWithContext").asLong());
        out(prefix, "requests_until_last_indicator", sentinel.path("requestsUntilLastIndicator").asLong());
        out(prefix, "objects", sentinel.path("acceptedUploads").asLong());
        out(prefix, "context_objects", context);
    }

    /** Per repetition: java -jar to the first MISP request, and to "poll cycle started". */
    static void startup(Path statsFile, Path dir, int reps, String prefix) throws IOException {
        String line = Files.readAllLines(statsFile).stream().filter(l -> l.startsWith("STANDIN STATS ")).findFirst()
                .orElseThrow();
        List<Long> arrivals = new ArrayList<>();
        JSON.readTree(line.substring("STANDIN STATS ".length())).path("misp").path("requestEpochMs")
                .forEach(n -> arrivals.add(n.asLong()));
        List<Long> toRequest = new ArrayList<>();
        List<Long> toReady = new ArrayList<>();
        for (int i = 1; i <= reps; i++) {
            Path rep = dir.resolve("rep" + i);
            long t0 = Long.parseLong(Files.readString(rep.resolve("t0")).trim());
            long end = Long.parseLong(Files.readString(rep.resolve("t_end")).trim());
            long first = arrivals.stream().filter(a -> a >= t0 && a <= end).min(Long::compare).orElse(-1L);
            Long ready = null;
            for (String l : Files.readAllLines(rep.resolve("stderr.log"))) {
                if (l.contains("poll cycle started")) {
                    ready = stamp(l);
                    break;
                }
            }
            if (first > 0) {
                toRequest.add(first - t0);
            }
            if (ready != null) {
                toReady.add(ready - t0);
            }
            out(prefix, "rep" + i + "_first_request_ms", first > 0 ? first - t0 : "none");
            out(prefix, "rep" + i + "_ready_ms", ready != null ? ready - t0 : "none");
        }
        out(prefix, "first_request_median_ms", median(toRequest));
        out(prefix, "first_request_max_ms", toRequest.stream().mapToLong(Long::longValue).max().orElse(-1));
        out(prefix, "ready_median_ms", median(toReady));
    }

    /** JMH's JSON result: score per benchmark and parameter set. */
    static void jmh(Path file, String prefix) throws IOException {
        for (JsonNode run : JSON.readTree(file.toFile())) {
            String name = run.path("benchmark").asText().replaceAll(".*\\.", "");
            String params = run.has("params") ? "_" + run.get("params").path("mix").asText() : "";
            JsonNode metric = run.path("primaryMetric");
            out(prefix, name + params + "_score", fmt(metric.path("score").asDouble()));
            out(prefix, name + params + "_error", fmt(metric.path("scoreError").asDouble()));
            out(prefix, name + params + "_unit", metric.path("scoreUnit").asText());
        }
    }

    /** The results table (markdown), measured vs target. */
    static void report(Path results) throws IOException {
        Properties r = new Properties();
        try (Reader in = Files.newBufferedReader(results)) {
            r.load(in);
        }
        List<String[]> rows = new ArrayList<>();
        if (r.containsKey("tp.duration_s")) {
            double d = num(r, "tp.duration_s");
            double wall = num(r, "tp.wall_s");
            double all = num(r, "tp.dataset");
            double fetched = num(r, "tp.fetched");
            double rate = all / d;
            rows.add(row("1 throughput", "attributes/s end to end, all " + (long) all + " MISP attributes / cycle time",
                    String.format("%,.0f /s (cycle %.1fs; %,.0f /s over the whole java -jar run of %.1fs)", rate, d, all / wall, wall),
                    ">= 20,000 /s", rate >= 20_000));
            rows.add(row("1 throughput", "to_ids attributes fetched+delivered /s (fetched=" + (long) fetched + ")",
                    String.format("%,.0f /s", fetched / d), "-", null));
            rows.add(row("1 throughput", "indicators delivered /s",
                    String.format("%,.0f /s (%s delivered, %s batches)", num(r, "tp.delivered") / d, r.getProperty("tp.delivered"), r.getProperty("tp.batches")), "-", null));
            rows.add(row("1 throughput", "MISP requests: restSearch pages + /objects/view lookups",
                    String.format("%s + %s", r.getProperty("tp.misp_requests"), r.getProperty("tp.misp_object_requests")), "-", null));
            rows.add(row("1 throughput", "time split (cycle thread: MISP fetch+parse, mapping; upload thread: HTTP upload+settle)",
                    String.format("misp %ss, mapping %ss, upload %ss of %ss", r.getProperty("tp.misp_s"), r.getProperty("tp.mapping_s"),
                            r.getProperty("tp.upload_s"), r.getProperty("tp.duration_s")), "-", null));
            rows.add(row("1 throughput", "CPU seconds during the run: product / stand-ins / other processes",
                    String.format("%s / %s / %s (of %.0f core-seconds in %.1fs on 2 cores)", r.getProperty("tp.cpu_s"), r.getProperty("tp.standin_cpu_s"),
                            r.getProperty("tp.other_cpu_s"), 2 * wall, wall), "-", null));
        }
        if (r.containsKey("tp5k.duration_s")) {
            double d = num(r, "tp5k.duration_s");
            rows.add(row("1 throughput", "same, MISP_PAGE_SIZE=5000, " + r.getProperty("tp5k.dataset") + " attributes",
                    String.format("%,.0f /s (misp %ss, mapping %ss, upload %ss of %ss)", num(r, "tp5k.dataset") / d, r.getProperty("tp5k.misp_s"),
                            r.getProperty("tp5k.mapping_s"), r.getProperty("tp5k.upload_s"), r.getProperty("tp5k.duration_s")), ">= 20,000 /s",
                    num(r, "tp5k.dataset") / d >= 20_000));
        }
        for (String size : new String[] {"100k", "1m"}) {
            String p = "mem" + size + ".";
            if (!r.containsKey(p + "rc")) {
                continue;
            }
            boolean complete = "0".equals(r.getProperty(p + "rc")) && r.getProperty(p + "delivered", "").equals(r.getProperty(p + "indicators"));
            String n = String.format("%,d", (long) num(r, p + "dataset"));
            rows.add(row("2 memory", n + " attributes under -Xmx128m completes",
                    String.format("exit %s, delivered %s of %s indicators in %ss", r.getProperty(p + "rc"), r.getProperty(p + "delivered"),
                            r.getProperty(p + "indicators"), r.getProperty(p + "duration_s")), "completes", complete));
            double rss = num(r, p + "peak_rss_kb") / 1024;
            rows.add(row("2 memory", n + ": peak RSS (VmHWM)", String.format("%.0f MB", rss), "< 400 MB", rss < 400));
            rows.add(row("2 memory", n + ": GC pauses (" + r.getProperty(p + "gc_collector") + ")",
                    String.format("%s pauses, %s ms total, longest %s ms", r.getProperty(p + "gc_pauses"), r.getProperty(p + "gc_pause_total_ms"),
                            r.getProperty(p + "gc_pause_max_ms")), "-", null));
        }
        if (r.containsKey("mem100k.peak_rss_kb") && r.containsKey("mem1m.peak_rss_kb")) {
            double ratio = num(r, "mem1m.peak_rss_kb") / num(r, "mem100k.peak_rss_kb");
            rows.add(row("2 memory", "peak RSS at " + String.format("%,d / %,d", (long) num(r, "mem1m.dataset"), (long) num(r, "mem100k.dataset")), String.format("%.2f", ratio), "<= 1.10", ratio <= 1.10));
        }
        for (String v : new String[] {"rl", "rlover", "rldrain"}) {
            String p = v + ".";
            if (!r.containsKey(p + "window_accepted")) {
                continue;
            }
            double limit = num(r, p + "limit");
            double window = num(r, p + "window_s");
            double budget = limit * 100 * window / 60;
            double used = num(r, p + "window_accepted") / budget;
            String label = switch (v) {
                case "rl" -> "product limit = stand-in limit";
                case "rlover" -> "product limit above the stand-in's";
                default -> "product limit above, stand-in reads the body before its 429";
            };
            rows.add(row("3 rate-limited", String.format("budget used, %s (stand-in %.0f req/60s, product %s/min)", label, limit,
                            r.getProperty(p + "product_rpm")),
                    String.format("%.1f%% (%s indicators in the first %.0fs of uploads; budget %.0f)%s", 100 * used,
                            r.getProperty(p + "window_accepted"), window, budget,
                            "true".equals(r.getProperty(p + "busy_after_window")) ? "" : " WARNING: product ran out of work inside the window"),
                    ">= 95%", used >= 0.95));
            rows.add(row("3 rate-limited", label + ": 429s / requests before Retry-After elapsed (connection resets seen by the product)",
                    r.getProperty(p + "sentinel_throttled") + " / " + r.getProperty(p + "sentinel_early_retries")
                            + " (" + r.getProperty(p + "connection_resets") + ")", "early = 0",
                    "0".equals(r.getProperty(p + "sentinel_early_retries"))));
        }
        for (String mix : new String[] {"to_ids", "all"}) {
            String key = "jmh.map_" + mix + "_score";
            if (r.containsKey(key)) {
                double score = num(r, key);
                rows.add(row("4 mapping (JMH, 1 thread)", "StixMapper.map, " + (mix.equals("to_ids") ? "to_ids attributes (what the pipeline maps)" : "all attributes (35% non-to_ids, mostly skipped)"),
                        String.format("%,.0f attributes/s (± %,.0f)", score, num(r, "jmh.map_" + mix + "_error")),
                        mix.equals("to_ids") ? ">= 500,000 /s per core" : "-", mix.equals("to_ids") ? score >= 500_000 : null));
            }
        }
        if (r.containsKey("start.first_request_median_ms")) {
            double first = num(r, "start.first_request_median_ms");
            rows.add(row("5 start-up", "java -jar to first MISP request (median of " + r.getProperty("start.reps") + ", max " + r.getProperty("start.first_request_max_ms") + " ms)",
                    String.format("%.0f ms", first), "< 3,000 ms", first < 3000));
            rows.add(row("5 start-up", "java -jar to readiness (Camel started, 'poll cycle started' logged; median)",
                    r.getProperty("start.ready_median_ms") + " ms", "-", null));
        }
        contextRows(r, rows);
        System.out.println("| scenario | metric | measured | target | met |");
        System.out.println("|---|---|---|---|---|");
        for (String[] row : rows) {
            System.out.println("| " + String.join(" | ", row) + " |");
        }
    }

    /**
     * The context's share of the Sentinel budget in a first sync, per sentinel.context: minutes are
     * requests / 100, Sentinel's limit, since every request but the last carries 100 objects.
     */
    private static void contextRows(Properties r, List<String[]> rows) {
        String alone = r.getProperty("ctx_off.requests");
        for (String mode : new String[] {"before", "with-indicators", "after-indicators", "off"}) {
            String p = "ctx_" + mode + ".";
            if (!r.containsKey(p + "requests")) {
                continue;
            }
            double requests = num(r, p + "requests");
            double withContext = num(r, p + "requests_with_context");
            double objects = num(r, p + "objects");
            double context = num(r, p + "context_objects");
            String label = mode.equals("before") ? "before (" + r.getProperty("ctx_before.jar", "base") + ")" : mode;
            rows.add(row("6 context", r.getProperty(p + "dataset") + " attributes, " + label
                            + ": requests with context / all; context objects / all",
                    String.format("%.0f / %.0f = %.1f%%; %.0f / %.0f = %.1f%%", withContext, requests, 100 * withContext / requests,
                            context, objects, 100 * context / objects), "-", null));
            double until = num(r, p + "requests_until_last_indicator");
            rows.add(row("6 context", label + ": at 100 requests/min, every indicator in after / everything after",
                    String.format("%.1f / %.1f min%s", until / 100, requests / 100,
                            alone == null ? "" : String.format(" (indicators alone: %.1f min)", num(r, "ctx_off.requests") / 100)),
                    "indicators alone + context's share", null));
        }
    }

    /** The A/B figures of bench/run ab: per figure the median of each variant, its values, and the load beside them. */
    static void ab(Path results) throws IOException {
        Properties r = new Properties();
        try (Reader in = Files.newBufferedReader(results)) {
            r.load(in);
        }
        int rounds = (int) num(r, "ab.rounds");
        String[][] figures = {
                {"once_cpu_per_10k", "CPU-s per 10,000 delivered, one-shot first sync (product process tree)"},
                {"once_standin_cpu_per_10k", "  stand-ins' CPU-s per 10,000, same runs"},
                {"warm_cpu_per_10k", "CPU-s per 10,000 delivered, warm (2nd half of a large one-shot run)"},
                {"large_cpu_per_10k", "CPU-s per 10,000 delivered, large run as a whole"},
                {"large_standin_cpu_per_10k", "  stand-ins' CPU-s per 10,000, large runs"},
                {"once_peak_rss_mb", "peak RSS (MB), one-shot first sync"},
                {"service_peak_rss_mb", "peak RSS (MB), service's first cycle"},
                {"idle_rss_mb", "idle RSS (MB) of the service after its cycle"},
                {"large_peak_rss_mb", "peak RSS (MB), large run"},
                {"once_wall_s", "wall time (s) of the one-shot java -jar (noisy: shared machine)"},
        };
        System.out.printf("A/B over %d rounds, interleaved: base %s, head %s (small run %s attributes)%n", rounds,
                r.getProperty("ab.base"), r.getProperty("ab.head"), r.getProperty("ab.small", "?"));
        System.out.println("| figure | base: median (values) | head: median (values) | head/base | 1-min load (base; head) |");
        System.out.println("|---|---|---|---|---|");
        for (String[] figure : figures) {
            List<Double> base = values(r, "base", figure[0], rounds, "");
            List<Double> head = values(r, "head", figure[0], rounds, "");
            if (base.isEmpty() && head.isEmpty()) {
                continue;
            }
            double b = medianOf(base);
            double h = medianOf(head);
            System.out.printf(Locale.ROOT, "| %s | %s (%s) | %s (%s) | %s | %s; %s |%n", figure[1], fmt2(b), join(base), fmt2(h), join(head),
                    b > 0 && h > 0 ? String.format(Locale.ROOT, "%.2f", h / b) : "-",
                    join(values(r, "base", figure[0], rounds, ".load")), join(values(r, "head", figure[0], rounds, ".load")));
        }
        for (String variant : new String[] {"base", "head"}) {
            List<Double> large = values(r, variant, "large_peak_rss_mb", rounds, "");
            List<Double> small = values(r, variant, "once_peak_rss_mb", rounds, "");
            if (!large.isEmpty() && !small.isEmpty()) {
                System.out.printf(Locale.ROOT, "peak RSS large / small run, %s: %.2f (medians %s / %s MB)%n", variant,
                        medianOf(large) / medianOf(small), fmt2(medianOf(large)), fmt2(medianOf(small)));
            }
        }
        for (String variant : new String[] {"base", "head"}) {
            for (int i = 1; i <= rounds; i++) {
                for (String rc : new String[] {"once_rc", "large_rc"}) {
                    String v = r.getProperty("ab." + variant + "." + i + "." + rc);
                    if (v != null && !v.equals("0")) {
                        System.out.println("WARNING: " + variant + " round " + i + " " + rc + "=" + v);
                    }
                }
            }
        }
    }

    private static List<Double> values(Properties r, String variant, String figure, int rounds, String suffix) {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            String v = r.getProperty("ab." + variant + "." + i + "." + figure + suffix);
            if (v != null && !v.isBlank() && Double.parseDouble(v) >= 0) {
                values.add(Double.parseDouble(v));
            }
        }
        return values;
    }

    private static double medianOf(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String join(List<Double> values) {
        return String.join(" ", values.stream().map(BenchTool::fmt2).toList());
    }

    private static String fmt2(double v) {
        return Double.isNaN(v) ? "-" : v == Math.rint(v) && Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String[] row(String scenario, String metric, String measured, String target, Boolean met) {
        return new String[] {scenario, metric, measured, target, met == null ? "" : met ? "yes" : "**no**"};
    }

    private static double num(Properties r, String key) {
        String v = r.getProperty(key);
        if (v == null) {
            return Double.NaN;
        }
        return Double.parseDouble(v);
    }

    private static long stamp(String line) {
        Matcher m = STAMP.matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("no timestamp: " + line);
        }
        return OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli();
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static void out(String prefix, String key, Object value) {
        System.out.println(prefix + "." + key + "=" + value);
    }
}
