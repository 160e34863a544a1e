package org.mispsentinel.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.h2.mvstore.MVMap;
import org.mispsentinel.stix.MappingOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices, at start-up, that the settings that shape what Sentinel holds (the mapping, the API,
 * the source system) differ from those of the last run. Every indicator may then read differently,
 * so everything is read from MISP and sent again, as on a first run: the delivered keys are
 * forgotten and the checkpoint goes back to the first window. What Sentinel holds stays known, so
 * withdrawals are still revoked.
 */
public final class MappingChange {

    private static final Logger LOG = LoggerFactory.getLogger(MappingChange.class);
    private static final String KEY = "mapping.fingerprint";

    private MappingChange() {
    }

    /** @return true when the settings changed since the last run that recorded them */
    public static boolean apply(StateStore store, MappingOptions mapping, boolean stixObjectsApi, String sourceSystem,
                                DeliveryLedger ledger, Checkpoint checkpoint) {
        String fingerprint = fingerprint(mapping, stixObjectsApi, sourceSystem);
        MVMap<String, String> meta = store.map("meta");
        String before = meta.get(KEY);
        boolean changed = before != null && !before.equals(fingerprint);
        if (changed) {
            LOG.warn("the mapping settings changed since the last run: every attribute of the first window is read from "
                    + "MISP and sent again as it is mapped now");
            ledger.forgetDeliveries();
            checkpoint.rewind();
        }
        if (!fingerprint.equals(before)) {
            meta.put(KEY, fingerprint);
            store.commitAndSync();
        }
        return changed;
    }

    static String fingerprint(MappingOptions mapping, boolean stixObjectsApi, String sourceSystem) {
        // the clock is the one part of the options that is not a setting
        MappingOptions settings = mapping.toBuilder().clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).build();
        String text = settings + "|" + stixObjectsApi + "|" + sourceSystem;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
