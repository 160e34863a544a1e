package org.mispsentinel.delivery;

import java.util.LinkedHashSet;
import java.util.Set;
import org.h2.mvstore.MVStore;

/**
 * One budget for the page caches of every state store open in this JVM, shared out evenly: a store's
 * cache grows to its size (32 MB let a first sync of 1,000,000 attributes run a fifth faster than
 * 8 MB), and with a cache of that size per workspace a dozen workspaces would outgrow the 128 MB heap
 * misp-sentinel runs in by default.
 */
final class StateCaches {

    static final int BUDGET_MB = 32;

    private static final Set<MVStore> OPEN = new LinkedHashSet<>();

    private StateCaches() {
    }

    static synchronized void opened(MVStore store) {
        OPEN.add(store);
        shareOut();
    }

    static synchronized void closed(MVStore store) {
        if (OPEN.remove(store)) {
            shareOut();
        }
    }

    static synchronized int open() {
        return OPEN.size();
    }

    private static void shareOut() {
        int each = Math.max(1, BUDGET_MB / Math.max(1, OPEN.size()));
        for (MVStore store : OPEN) {
            if (!store.isClosed()) {
                // in KB, though MVStore's Javadoc says MB (MVStore.setCacheSize, h2-mvstore 2.4.240); it
                // also empties the cache, which only a workspace opened or closed costs
                store.setCacheSize(each * 1024);
            }
        }
    }
}
