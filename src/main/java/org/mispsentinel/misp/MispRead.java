package org.mispsentinel.misp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The paging of one cycle's reads of MISP: each {@link ReadPass} in turn, by keyset on
 * (attribute timestamp, id). Each request asks for the attributes at or after the last timestamp
 * read, and the rows already read are dropped, so an attribute that moves, leaves or arrives
 * while the cycle pages shifts nothing onto a page already read, as offset paging would for each
 * row that left before it.
 *
 * <p>Where more attributes than a page share one second (an import of a large event), the keyset
 * cannot move on, and that second is paged by offset. Because a row that leaves it meanwhile can
 * then make a later one be skipped, the second is read once more at the end, and the attributes
 * that read finds for the first time are handed on; while re-reads keep finding some (at most
 * {@value #BLOCK_REREADS} times), the window is marked to be read again next cycle.
 *
 * <p>A page shorter than the limit does not end a pass (warninglists and decaying models drop rows
 * after MISP's SQL LIMIT): a pass ends on a page that MISP did not fill and that brings nothing new.
 * Inside one second a short page proves nothing, since MISP's allowedlist (and warninglists before
 * MISP 2.4.196) drop rows without counting them: a page whose rows all sit in the cursor's second is
 * paged on by offset until a page comes back empty, which costs one request more at the end of a pass.
 *
 * <p>A row whose (timestamp, id) cannot be read has no place in that order: it is named once as
 * malformed (skipped and counted) and never makes a page be asked for again. A MISP, or a proxy
 * before it, that answers the next page with the rows of the one before ignores {@code page}, and
 * the read stops with a message rather than ask for ever.
 */
public final class MispRead {

    private static final int BLOCK_REREADS = 3;

    private final MispQuery query;
    private final List<ReadPass> passes;
    private final long since;
    private final int limit;

    private int pass;
    private long until = -1;
    private OptionalLong firstServerTime = OptionalLong.empty();
    private MispPage.Position cursor;
    private int page = 1;
    private boolean done;
    private boolean unsettled;
    // the second at the cursor, when it holds more rows than a page
    private boolean inBlock;
    private final Set<Long> blockIds = new HashSet<>();
    // the block was paged by offset past a full page, so a row leaving it may have made one be skipped
    private boolean blockPagedByOffset;
    private boolean rereading;
    private int rereads;
    private boolean rereadFoundNew;
    private MispPage.Position afterBlock;
    private final List<Long> afterBlockIds = new ArrayList<>();
    // the previous answer, to tell a MISP that ignores page
    private int previousPage;
    private List<Object> previousRows = List.of();
    // rows without a readable (timestamp, id) named so far in this cycle, so that each is named once
    private final Set<String> namedUnplaced = new HashSet<>();
    private static final int MAX_NAMED_UNPLACED = 10_000;

    /** @param since lower bound of the window on each pass's event filter, negative for none */
    public MispRead(MispQuery query, List<ReadPass> passes, long since, int limit) {
        this.query = query;
        this.passes = List.copyOf(passes);
        this.since = since;
        this.limit = limit;
        this.done = passes.isEmpty();
    }

    public boolean more() {
        return !done;
    }

    public byte[] nextRequest() {
        ReadPass current = passes.get(pass);
        if (rereading) {
            return query.second(current, since, until, cursor.timestamp(), page);
        }
        return query.page(current, since, until, cursor == null ? -1 : cursor.timestamp(), page);
    }

    /** MISP's clock at the first answer of the cycle: the window's upper bound. */
    public OptionalLong firstServerTime() {
        return firstServerTime;
    }

    /** True when re-reads of a second paged by offset kept finding attributes: the window must be read again. */
    public boolean unsettled() {
        return unsettled;
    }

    /** Takes a page in and answers the records it brought that were not read before. */
    public List<MispRecord> accept(MispPage received) {
        if (firstServerTime.isEmpty()) {
            firstServerTime = received.serverTime();
            // a window closed at MISP's own time: what changes from now on is the next cycle's
            received.serverTime().ifPresent(t -> until = t);
        }
        requireOrder(received);
        requirePaging(received);
        List<MispRecord> handedOn = new ArrayList<>(rereading ? reread(received) : read(received));
        handedOn.addAll(unplaced(received));
        return handedOn;
    }

    private List<MispRecord> read(MispPage received) {
        List<MispRecord> fresh = new ArrayList<>();
        MispPage.Position last = null;
        for (int i = 0; i < received.records().size(); i++) {
            MispPage.Position position = received.positions().get(i);
            if (position == null) {
                continue;
            }
            if (cursor == null || position.compareTo(cursor) > 0) {
                fresh.add(received.records().get(i));
            }
            last = position;
        }
        boolean full = received.full(limit);
        boolean broughtRows = !received.records().isEmpty() || received.skipped() > 0;
        if (last != null && (cursor == null || last.timestamp() > cursor.timestamp())) {
            rememberAt(received, cursor == null ? Long.MIN_VALUE : cursor.timestamp());
            if (inBlock) {
                blockPagedByOffset |= page > 1;
                leaveBlockAt(last, idsAt(received, last.timestamp()));
            } else {
                cursor = last;
                page = 1;
                blockIds.clear();
                rememberAt(received, last.timestamp());
            }
        } else if (last != null) {
            // rows of the cursor's second only, and maybe more of it: a short page may have lost rows
            // MISP did not count, so only a page that comes back empty ends it; paged on by offset
            inBlock = true;
            blockPagedByOffset |= page > 1 || full;
            rememberAt(received, cursor.timestamp());
            cursor = last.compareTo(cursor) > 0 ? last : cursor;
            page++;
        } else if (full || last == null && broughtRows) {
            // a page of rows that cannot be placed: the ones after them are on the next page
            page++;
        } else if (inBlock) {
            leaveBlockAt(null, List.of());
        } else {
            nextPass();
        }
        return fresh;
    }

    /** Ends paging a second by offset; it is read once more only if a row leaving it could have made one be skipped. */
    private void leaveBlockAt(MispPage.Position next, List<Long> idsAtNext) {
        if (blockPagedByOffset) {
            startReread(next);
            afterBlockIds.addAll(idsAtNext);
        } else {
            afterBlock = next;
            afterBlockIds.clear();
            afterBlockIds.addAll(idsAtNext);
            leaveBlock();
        }
    }

    /**
     * The rows of this page that cannot be placed in (timestamp, id) order, each named once: a row
     * MISP sent without a readable uuid, timestamp or id cannot be compared with the cursor, so it is
     * skipped and counted instead of being handed on again with every page that holds it.
     */
    private List<MispRecord> unplaced(MispPage received) {
        List<MispRecord> out = new ArrayList<>();
        for (int i = 0; i < received.records().size(); i++) {
            if (received.positions().get(i) != null) {
                continue;
            }
            MispRecord record = received.records().get(i);
            MalformedAttribute named = record instanceof MalformedAttribute m ? m
                    : new MalformedAttribute(((MispAttribute) record).uuid(), LogLine.clip(((MispAttribute) record).type(), 40),
                    "malformed-id", "its id is not an integer, so it has no place in the read order");
            String key = named.uuid() + "/" + named.reason();
            if (named.uuid().equals("?") || namedUnplaced.size() < MAX_NAMED_UNPLACED && namedUnplaced.add(key)) {
                out.add(named);
            }
        }
        return out;
    }

    /**
     * The answer to page n+1 holding the very rows of page n means that MISP, or a proxy before it,
     * ignores {@code page}: asking on would never end.
     */
    private void requirePaging(MispPage received) {
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < received.records().size(); i++) {
            MispPage.Position position = received.positions().get(i);
            MispRecord record = received.records().get(i);
            rows.add(position != null ? position
                    : record instanceof MispAttribute a ? a.uuid() : ((MalformedAttribute) record).uuid());
        }
        if (page > 1 && page == previousPage + 1 && !rows.isEmpty() && rows.equals(previousRows)) {
            throw new MispException("MISP answered page " + page + " with the same attributes as page " + previousPage
                    + ": it, or a proxy in front of it, ignores restSearch's page parameter; this cycle stops "
                    + "instead of asking for the same page again", false);
        }
        previousPage = page;
        previousRows = rows;
    }

    private void rememberAt(MispPage received, long timestamp) {
        blockIds.addAll(idsAt(received, timestamp));
    }

    private static List<Long> idsAt(MispPage received, long timestamp) {
        List<Long> ids = new ArrayList<>();
        for (MispPage.Position position : received.positions()) {
            if (position != null && position.timestamp() == timestamp) {
                ids.add(position.id());
            }
        }
        return ids;
    }

    /** @param next where to go on after the re-read, or null when the pass ends with it */
    private void startReread(MispPage.Position next) {
        rereading = true;
        rereadFoundNew = false;
        afterBlock = next;
        afterBlockIds.clear();
        page = 1;
    }

    private List<MispRecord> reread(MispPage received) {
        List<MispRecord> fresh = new ArrayList<>();
        for (int i = 0; i < received.records().size(); i++) {
            MispPage.Position position = received.positions().get(i);
            if (position != null && position.timestamp() == cursor.timestamp() && blockIds.add(position.id())) {
                fresh.add(received.records().get(i));
            }
        }
        rereadFoundNew |= !fresh.isEmpty();
        // as in read: a short page of one second may have lost uncounted rows, so only an empty one ends it
        if (received.full(limit) || !received.records().isEmpty() || received.skipped() > 0) {
            page++;
        } else if (rereadFoundNew && ++rereads < BLOCK_REREADS) {
            // rows left the second while it was paged, so some were skipped: once more
            rereadFoundNew = false;
            page = 1;
        } else {
            unsettled |= rereadFoundNew;
            leaveBlock();
        }
        return fresh;
    }

    private void leaveBlock() {
        rereading = false;
        inBlock = false;
        blockPagedByOffset = false;
        rereads = 0;
        blockIds.clear();
        blockIds.addAll(afterBlockIds);
        page = 1;
        if (afterBlock == null) {
            nextPass();
        } else {
            cursor = afterBlock;
        }
    }

    private void nextPass() {
        pass++;
        cursor = null;
        page = 1;
        blockIds.clear();
        done = pass >= passes.size();
    }

    private static void requireOrder(MispPage received) {
        MispPage.Position previous = null;
        for (MispPage.Position position : received.positions()) {
            if (position != null) {
                if (previous != null && position.compareTo(previous) < 0) {
                    throw new MispException("MISP did not return attributes in the order asked for (Attribute.timestamp, "
                            + "Attribute.id); misp-sentinel needs a MISP that honours restSearch's order", false);
                }
                previous = position;
            }
        }
    }
}
