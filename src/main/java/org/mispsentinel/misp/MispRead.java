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
    private boolean rereading;
    private int rereads;
    private boolean rereadFoundNew;
    private MispPage.Position afterBlock;
    private final List<Long> afterBlockIds = new ArrayList<>();

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
        return rereading ? reread(received) : read(received);
    }

    private List<MispRecord> read(MispPage received) {
        List<MispRecord> fresh = new ArrayList<>();
        MispPage.Position last = null;
        for (int i = 0; i < received.records().size(); i++) {
            MispPage.Position position = received.positions().get(i);
            if (position == null || cursor == null || position.compareTo(cursor) > 0) {
                fresh.add(received.records().get(i));
            }
            last = position == null ? last : position;
        }
        boolean full = received.full(limit);
        if (last != null && (cursor == null || last.timestamp() > cursor.timestamp())) {
            rememberAt(received, cursor == null ? Long.MIN_VALUE : cursor.timestamp());
            if (inBlock) {
                startReread(last);
                afterBlockIds.addAll(idsAt(received, last.timestamp()));
            } else {
                cursor = last;
                page = 1;
                blockIds.clear();
                rememberAt(received, last.timestamp());
            }
        } else if (last != null && full) {
            // a whole page of one second: page on by offset within it
            inBlock = true;
            rememberAt(received, cursor.timestamp());
            cursor = last.compareTo(cursor) > 0 ? last : cursor;
            page++;
        } else if (full) {
            page++;
        } else if (fresh.isEmpty()) {
            if (inBlock) {
                startReread(null);
            } else {
                nextPass();
            }
        } else if (last != null) {
            rememberAt(received, cursor.timestamp());
            cursor = last.compareTo(cursor) > 0 ? last : cursor;
        }
        return fresh;
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
        if (received.full(limit)) {
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
