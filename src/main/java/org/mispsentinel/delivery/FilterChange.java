package org.mispsentinel.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.h2.mvstore.MVMap;
import org.mispsentinel.config.Settings;
import org.mispsentinel.config.WorkspaceFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices, at start-up, that the filters that decide which attributes a workspace gets (what MISP is
 * asked for, and the workspace's own filter) differ from those of the last run. An attribute they take
 * only now may sit in an event published before the checkpoint, which no later cycle would read, so
 * the workspace reads its first window again, as on a first run. What it already has is passed over as
 * delivered; what its filter no longer takes is revoked as that window is read.
 */
final class FilterChange {

    private static final Logger LOG = LoggerFactory.getLogger(FilterChange.class);
    private static final String KEY = "filter.fingerprint";

    private FilterChange() {
    }

    /** @return true when the filters changed since the last run that recorded them */
    static boolean apply(StateStore store, Settings.Misp read, WorkspaceFilter filter, String label,
                         Checkpoint checkpoint) {
        String fingerprint = fingerprint(read, filter);
        MVMap<String, String> meta = store.map("meta");
        String before = meta.get(KEY);
        boolean changed = before != null && !before.equals(fingerprint);
        if (changed) {
            LOG.warn("{}the filters (misp.published-only, misp.to-ids-only, misp.tags-*, misp.types-*, "
                    + "misp.enforce-warninglist, misp.exclude-decayed, filter.*) changed since the last run: the first "
                    + "window is read from MISP again, so that what they take now is sent", label);
            checkpoint.rewind();
        }
        if (!fingerprint.equals(before)) {
            meta.put(KEY, fingerprint);
            store.commitAndSync();
        }
        return changed;
    }

    static String fingerprint(Settings.Misp read, WorkspaceFilter filter) {
        String text = read.publishedOnly() + "|" + read.toIdsOnly() + "|" + read.enforceWarninglist() + "|"
                + read.excludeDecayed() + "|" + read.tagsInclude() + "|" + read.tagsExclude() + "|"
                + read.typesInclude() + "|" + read.typesExclude() + "|" + filter;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
