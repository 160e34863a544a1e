package org.mispsentinel.misp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mispsentinel.config.Settings;

/**
 * MispRead's paging against a MISP that answers MispQuery's bodies as MISP 2.5.1 does: rows in
 * (timestamp, id) order, a timestamp keyset or a [t, t] second, page/limit as SQL OFFSET/LIMIT, and
 * X-Result-Count per page (the rows sent, plus one when the page came back full). Rows dropped after
 * the SQL LIMIT are counted in X-Skipped-Elements-Count (warninglists on MISP 2.4.196 and later) or
 * not at all (MISP's allowedlist on any version; warninglists before 2.4.196, which has no such
 * header): ../shared/reference/misp-api.md, "Paging".
 */
class MispReadPagingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 5;
    private static final int MAX_REQUESTS = 500;

    record Row(long ts, long id) {
    }

    /** What the fake MISP does besides answering. */
    record Misp(List<Row> rows, Set<Long> dropUncounted, Set<Long> dropCounted, Set<Long> unreadableId,
                boolean ignoresPage) {
        static Misp of(List<Row> rows) {
            return new Misp(rows, Set.of(), Set.of(), Set.of(), false);
        }
    }

    record Outcome(Set<Long> handedOn, List<MalformedAttribute> named, int requests) {
    }

    private static MispQuery query() {
        Map<String, String> values = new HashMap<>(Map.of(
                "misp.url", "https://misp.example.org",
                "misp.api-key", "k",
                "misp.page-size", Integer.toString(LIMIT),
                "dry-run.enabled", "true"));
        return new MispQuery(Settings.load(key -> Optional.ofNullable(values.get(key))).misp(), false);
    }

    private static MispAttribute attribute(Row r) {
        return new MispAttribute("u" + r.id(), "ip-dst", "Network activity", "198.51.100.1", true, false, r.ts(), null,
                null, "", "1", null, null, null, null, "0", null, null, List.of());
    }

    private static MispPage answer(JsonNode body, Misp misp) {
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        JsonNode ts = body.get("timestamp");
        if (ts != null && ts.isArray()) {
            from = ts.get(0).asLong();
            to = ts.get(1).asLong();
        } else if (ts != null) {
            from = ts.asLong();
        }
        int page = misp.ignoresPage() ? 1 : body.path("page").asInt(1);
        int limit = body.path("limit").asInt();
        long f = from;
        long t = to;
        List<Row> match = misp.rows().stream().filter(r -> r.ts() >= f && r.ts() <= t)
                .sorted(Comparator.comparingLong(Row::ts).thenComparingLong(Row::id)).toList();
        int offset = (page - 1) * limit;
        List<Row> sql = offset >= match.size() ? List.of() : match.subList(offset, Math.min(match.size(), offset + limit));
        List<MispRecord> records = new ArrayList<>();
        List<MispPage.Position> positions = new ArrayList<>();
        int skipped = 0;
        for (Row r : sql) {
            if (misp.dropUncounted().contains(r.id())) {
                continue;
            }
            if (misp.dropCounted().contains(r.id())) {
                skipped++;
                continue;
            }
            records.add(attribute(r));
            positions.add(misp.unreadableId().contains(r.id()) ? null : new MispPage.Position(r.ts(), r.id()));
        }
        long resultCount = sql.isEmpty() ? 1 : records.size() + skipped + (records.size() == limit ? 1 : 0);
        return new MispPage(records, positions, resultCount, skipped, OptionalLong.of(2_000_000_000L));
    }

    private static Outcome readAll(Misp misp) throws Exception {
        MispRead read = new MispRead(query(), List.of(ReadPass.PUBLISHED), -1, LIMIT);
        Set<Long> handedOn = new TreeSet<>();
        List<MalformedAttribute> named = new ArrayList<>();
        int requests = 0;
        while (read.more() && requests < MAX_REQUESTS) {
            requests++;
            JsonNode body = JSON.readTree(read.nextRequest());
            for (MispRecord record : read.accept(answer(body, misp))) {
                if (record instanceof MispAttribute a) {
                    handedOn.add(Long.parseLong(a.uuid().substring(1)));
                } else {
                    named.add((MalformedAttribute) record);
                }
            }
        }
        return new Outcome(handedOn, named, requests);
    }

    /** 4 rows in seconds of their own, then an import of 12 stamped in one second (more than a page), then 5 more. */
    private static List<Row> importBetweenOthers() {
        List<Row> rows = new ArrayList<>();
        long id = 1;
        for (int i = 0; i < 4; i++) {
            rows.add(new Row(100 + i, id++));
        }
        for (int i = 0; i < 12; i++) {
            rows.add(new Row(200, id++));
        }
        for (int i = 0; i < 5; i++) {
            rows.add(new Row(300 + i, id++));
        }
        return rows;
    }

    private static Set<Long> ids(List<Row> rows, long... except) {
        Set<Long> out = new TreeSet<>();
        rows.forEach(r -> out.add(r.id()));
        for (long e : except) {
            out.remove(e);
        }
        return out;
    }

    @Test
    void everyRowOfACrowdedSecondIsReadWhenNothingIsDroppedOrTheDropIsCounted() throws Exception {
        List<Row> rows = importBetweenOthers();

        assertThat(readAll(Misp.of(rows)).handedOn()).isEqualTo(ids(rows));
        assertThat(readAll(new Misp(rows, Set.of(), Set.of(6L), Set.of(), false)).handedOn()).isEqualTo(ids(rows, 6));
    }

    @Test
    void aRowDroppedWithoutBeingCountedInsideACrowdedSecondDoesNotEndThePass() throws Exception {
        List<Row> rows = importBetweenOthers();

        Outcome outcome = readAll(new Misp(rows, Set.of(6L), Set.of(), Set.of(), false));

        assertThat(outcome.handedOn()).isEqualTo(ids(rows, 6));
        assertThat(outcome.requests()).isLessThan(MAX_REQUESTS);
    }

    /**
     * A page ends inside a second; the next one, from that second, starts with rows already read, and
     * the rows after them are dropped uncounted, so it looks short and brings nothing new.
     */
    @Test
    void anUncountedDropOnAPageOfRowsAlreadyReadDoesNotEndThePass() throws Exception {
        List<Row> rows = new ArrayList<>();
        long id = 1;
        rows.add(new Row(100, id++));
        rows.add(new Row(101, id++));
        for (int i = 0; i < 9; i++) {
            rows.add(new Row(200, id++));
        }
        rows.add(new Row(300, id++));

        // ids 3..5 of second 200 end the first page; the next, from 200, holds 3..7 in SQL, and 6 and 7 are dropped
        Outcome outcome = readAll(new Misp(rows, Set.of(6L, 7L), Set.of(), Set.of(), false));

        assertThat(outcome.handedOn()).isEqualTo(ids(rows, 6, 7));
    }

    @Test
    void aMispThatIgnoresPageStopsTheReadWithAMessageInsteadOfLooping() {
        List<Row> rows = importBetweenOthers();

        assertThatThrownBy(() -> readAll(new Misp(rows, Set.of(), Set.of(), Set.of(), true)))
                .isInstanceOf(MispException.class)
                .hasMessageContaining("ignores restSearch's page parameter")
                .satisfies(e -> assertThat(((MispException) e).retryable()).isFalse());
    }

    @Test
    void aRowWithoutAReadableIdIsNamedOnceAndNeverMakesThePageBeAskedForAgain() throws Exception {
        // a short last page whose new row has no usable id: once seen asked for 44,831 times in 185 s
        List<Row> rows = List.of(new Row(100, 1), new Row(101, 2), new Row(102, 3));

        Outcome outcome = readAll(new Misp(rows, Set.of(), Set.of(), Set.of(3L), false));

        assertThat(outcome.requests()).isLessThan(10);
        assertThat(outcome.handedOn()).containsExactly(1L, 2L);
        assertThat(outcome.named()).singleElement().satisfies(m -> {
            assertThat(m.uuid()).isEqualTo("u3");
            assertThat(m.reason()).isEqualTo("malformed-id");
        });
    }

    @Test
    void unreadableRowsInsideACrowdedSecondAreNamedOnceEachWhileTheRestIsRead() throws Exception {
        List<Row> rows = importBetweenOthers();

        Outcome outcome = readAll(new Misp(rows, Set.of(), Set.of(), Set.of(7L, 12L), false));

        assertThat(outcome.requests()).isLessThan(MAX_REQUESTS);
        assertThat(outcome.handedOn()).isEqualTo(ids(rows, 7, 12));
        assertThat(outcome.named()).extracting(MalformedAttribute::uuid).containsExactlyInAnyOrder("u7", "u12");
    }
}
