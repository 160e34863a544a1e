package org.mispsentinel.misp;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of {@code /attributes/restSearch}.
 *
 * @param records     the page's attributes, in MISP's order
 * @param positions   for each record, its {@code (timestamp, id)} where both could be read, else null
 * @param resultCount MISP's {@code X-Result-Count}: the SQL rows of this page, plus one when it came back full;
 *                    -1 when absent
 * @param skipped     MISP's {@code X-Skipped-Elements-Count}: rows of this page that warninglists or
 *                    decaying models dropped after paging; 0 when absent
 * @param serverTime  MISP's clock when it answered (its {@code Date} header), epoch seconds
 */
public record MispPage(List<MispRecord> records, List<Position> positions, long resultCount, int skipped,
                       OptionalLong serverTime) {

    /** Where a row sits in the order misp-sentinel asks for: attribute timestamp, then id. */
    public record Position(long timestamp, long id) implements Comparable<Position> {
        @Override
        public int compareTo(Position other) {
            int byTime = Long.compare(timestamp, other.timestamp);
            return byTime != 0 ? byTime : Long.compare(id, other.id);
        }
    }

    /** True when MISP's SQL filled this page, so that more rows may follow. */
    public boolean full(int limit) {
        return records.size() + skipped >= limit || resultCount > limit;
    }
}
