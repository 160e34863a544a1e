package org.mispsentinel.launcher;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.mispsentinel.config.Settings;
import org.mispsentinel.misp.MispProbe;
import org.mispsentinel.misp.MispQuery;
import org.mispsentinel.misp.ReadPass;

/** The MISP lines of {@code --check}: MISP answers and takes the key, then what the filters match now. */
final class MispCheck {

    private static final String MISP = "misp";
    private static final String FILTERS = "misp filters";

    private final Settings.Misp misp;
    private final MispProbe probe;
    private final Clock clock;

    MispCheck(Settings.Misp misp, MispProbe probe, Clock clock) {
        this.misp = misp;
        this.probe = probe;
        this.clock = clock;
    }

    void run(CheckReport report) {
        if (!report.run(MISP, () -> "reachable at " + misp.url() + ", MISP " + probe.version() + ", key accepted")) {
            report.skip(FILTERS, "needs MISP to answer and take the key");
            return;
        }
        // the window of a first run (a later one reads from its checkpoint)
        long since = ReadPass.lookbackStart(clock.instant().getEpochSecond(), misp.lookbackDays());
        List<ReadPass> passes = ReadPass.covering(misp.publishedOnly(), since);
        MispQuery query = new MispQuery(misp, false);
        report.run(FILTERS, () -> {
            List<Long> counts = passes.stream().map(pass -> probe.count(query, pass, since)).toList();
            return matches(passes, counts) + " (" + filters() + ")";
        });
    }

    private String matches(List<ReadPass> passes, List<Long> counts) {
        String window = misp.lookbackDays() == 0 ? "" : " in the last " + misp.lookbackDays() + " days (misp.lookback-days)";
        if (passes.size() == 1) {
            // one pass over changed events has no lower bound: it reads everything
            String events = !passes.get(0).equals(ReadPass.PUBLISHED) ? ""
                    : window.isEmpty() ? " of published events" : " of events published" + window;
            return counts.get(0) + " attributes" + events + " match now";
        }
        return counts.get(0) + " attributes of events changed and " + counts.get(1) + " of events published" + window
                + " match now (an attribute can be in both)";
    }

    private String filters() {
        List<String> parts = new ArrayList<>();
        if (misp.toIdsOnly()) {
            parts.add("to_ids only");
        }
        if (misp.enforceWarninglist()) {
            parts.add("warninglists enforced");
        }
        if (misp.excludeDecayed()) {
            parts.add("decayed left out");
        }
        addTerms(parts, "tags", misp.tagsInclude(), misp.tagsExclude());
        addTerms(parts, "types", misp.typesInclude(), misp.typesExclude());
        return parts.isEmpty() ? "no other filter" : String.join(", ", parts);
    }

    private static void addTerms(List<String> parts, String what, List<String> include, List<String> exclude) {
        if (!include.isEmpty()) {
            parts.add(what + " any of " + String.join(" ", include));
        }
        if (!exclude.isEmpty()) {
            parts.add(what + " none of " + String.join(" ", exclude));
        }
    }
}
