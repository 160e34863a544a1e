package org.mispsentinel.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mispsentinel.config.Settings;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispPage;
import org.mispsentinel.misp.MispQuery;
import org.mispsentinel.misp.MispRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresh of one cycle, workspace by workspace: the indicators a workspace holds that expire
 * within {@code refresh.lead-days}, soonest first and at most {@code refresh.max-per-cycle}, are asked
 * from MISP by uuid; what MISP still shows as a detection is sent again with a new valid_until, the
 * rest is left to expire. The routes call it from the poll thread, one workspace after another.
 */
public final class Refresh {

    private static final Logger LOG = LoggerFactory.getLogger(Refresh.class);

    private final Settings.Refresh settings;
    private final MispQuery query;
    private final int pageSize;
    private final SyncCycle cycle;
    private final Clock clock;

    // the workspace being refreshed
    private WorkspaceDelivery workspace;
    private List<RefreshCandidate> due = List.of();
    private int next;
    private List<RefreshCandidate> asked = List.of();
    private final Map<String, RefreshCandidate> byUuid = new HashMap<>();

    public Refresh(Settings.Refresh settings, MispQuery query, int pageSize, SyncCycle cycle, Clock clock) {
        this.settings = settings;
        this.query = query;
        this.pageSize = pageSize;
        this.cycle = cycle;
        this.clock = clock;
    }

    /** Plans the workspace's refresh; false when there is nothing to do (off, nothing due, its uploads stopped). */
    public synchronized boolean begin(WorkspaceDelivery target) {
        workspace = target;
        byUuid.clear();
        next = 0;
        if (settings.lead().isZero() || target.uploadsStopped() || !cycle.mayReadMisp()) {
            due = List.of();
            return false;
        }
        Instant now = clock.instant();
        due = target.ledger().dueForRefresh(now, settings.lead(), longestTtl(target), settings.maxPerCycle());
        if (!due.isEmpty()) {
            LOG.info("{}{} attributes have indicators that expire before {}: asking MISP whether they still hold",
                    target.label(), due.size(), now.plus(settings.lead()));
        }
        return !due.isEmpty();
    }

    /**
     * How far back an indicator that expired before its refresh got through (misp-sentinel stopped,
     * Sentinel out, a backlog over refresh.max-per-cycle) is still sent again: one TTL, as long as a new
     * one would have lasted.
     */
    private static java.time.Duration longestTtl(WorkspaceDelivery target) {
        int days = 0;
        for (org.mispsentinel.stix.IndicatorKind kind : org.mispsentinel.stix.IndicatorKind.values()) {
            days = Math.max(days, target.settings().mapping().ttlDays(kind));
        }
        return java.time.Duration.ofDays(days);
    }

    public synchronized boolean hasMorePages() {
        return next < due.size() && !workspace.uploadsStopped() && cycle.mayReadMisp();
    }

    /** The next uuids, at most a page of them, as a restSearch body. */
    public synchronized byte[] nextRequest() {
        asked = due.subList(next, Math.min(due.size(), next + pageSize));
        next += asked.size();
        List<String> uuids = new ArrayList<>(asked.size());
        for (RefreshCandidate candidate : asked) {
            byUuid.put(candidate.attributeUuid(), candidate);
            uuids.add(candidate.attributeUuid());
        }
        return query.byUuids(uuids, 1);
    }

    /**
     * What MISP answered for the uuids asked: those it still shows as detections are refreshed; the
     * others (deleted, to_ids cleared, their event unpublished or out of the filters) are left to
     * expire until MISP shows them again: an event unpublished while it is edited is read again, and
     * its unchanged attributes taken up again, when it is published again.
     */
    public synchronized List<MispAttribute> received(MispPage page) {
        Map<String, MispAttribute> shown = new HashMap<>();
        for (MispRecord record : page.records()) {
            // a listed uuid that is also an event's would bring that event's attributes too
            if (record instanceof MispAttribute attribute && byUuid.containsKey(attribute.uuid())
                    && attribute.toIds() && !attribute.deleted()) {
                shown.put(attribute.uuid(), attribute);
            }
        }
        for (RefreshCandidate candidate : asked) {
            if (!shown.containsKey(candidate.attributeUuid())) {
                workspace.ledger().leaveToExpire(candidate);
            }
        }
        return List.copyOf(shown.values());
    }

    /** The delivery key of the refresh: one per attribute and expiry, so each is refreshed once. */
    public synchronized String key(MispAttribute attribute) {
        RefreshCandidate candidate = byUuid.get(attribute.uuid());
        return "refresh/" + candidate.stableKey() + "/" + candidate.validUntil();
    }
}
