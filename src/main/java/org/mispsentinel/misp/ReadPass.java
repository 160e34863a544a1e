package org.mispsentinel.misp;

import java.util.List;

/**
 * One of the reads a cycle makes of MISP: the attributes of every event that changed in a way that
 * makes attributes newly visible, in the cycle's window.
 *
 * @param eventFilter the restSearch filter the window applies to: {@code publish_timestamp} or
 *                    {@code event_timestamp}
 */
public record ReadPass(String eventFilter) {

    /** Events published since: MISP's own publication, and every edit since it unpublishes first. */
    public static final ReadPass PUBLISHED = new ReadPass("publish_timestamp");
    /** Events changed since: an attribute added, edited or deleted, a tag, an import's own timestamp. */
    public static final ReadPass CHANGED = new ReadPass("event_timestamp");

    /**
     * The passes that find every attribute made newly visible since {@code lowerBound}: with published
     * events only, a publication (every edit unpublishes its event first); otherwise any change of the
     * event and a publication (an import or a pull keeps the event's old timestamp but publishes it
     * now). Without a lower bound one pass over everything.
     */
    public static List<ReadPass> covering(boolean publishedOnly, long lowerBound) {
        if (publishedOnly) {
            return List.of(PUBLISHED);
        }
        return lowerBound < 0 ? List.of(CHANGED) : List.of(CHANGED, PUBLISHED);
    }

    /**
     * The lower bound of a first read at {@code now}: {@code lookbackDays} before it, or -1 (no
     * bound, everything) for 0.
     */
    public static long lookbackStart(long now, int lookbackDays) {
        return lookbackDays == 0 ? -1 : now - lookbackDays * 86_400L;
    }
}
