package org.mispsentinel.delivery;

import java.util.ArrayList;
import java.util.List;
import org.mispsentinel.config.Settings;
import org.mispsentinel.misp.LogLine;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.stix.MappingResult;
import org.mispsentinel.stix.SkipReasons;
import org.mispsentinel.stix.StixContextObject;
import org.mispsentinel.stix.StixIndicator;
import org.mispsentinel.stix.StixMapper;
import org.mispsentinel.stix.StixRelationship;
import org.mispsentinel.stix.ThreatContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route's mapping step: one attribute in, its indicators out, each tagged with the attribute's
 * delivery key so that the ledger can tell when all of them were accepted. With the STIX objects
 * API and sentinel.context=with-indicators, the attribute's context objects come first (each once
 * per workspace, until it changes: {@link HeldContext}), then its indicators, then the relationships
 * between them, so that nothing refers to an object sent in a later batch. With after-indicators the
 * attack patterns, threat actors and relationships wait in the state for the end of the cycle. The
 * misp-stix profile's indicator of a whole MISP object is sent once per cycle and version, by the
 * first of its attributes; the others are delivered when it is.
 */
public final class MappingStep {

    private static final Logger LOG = LoggerFactory.getLogger(MappingStep.class);

    private final java.time.Clock clock;

    public MappingStep(java.time.Clock clock) {
        this.clock = clock;
    }


    /**
     * An attribute that reaches this step while withdrawn in MISP (deleted, or {@code to_ids}
     * cleared) is one Sentinel holds indicators of (see {@link Withdrawals}): they go out revoked.
     */
    public List<PendingStix> map(WorkspaceDelivery workspace, MispAttribute attribute) {
        StixMapper mapper = workspace.mapper();
        boolean revoking = attribute.withdrawn();
        long start = System.nanoTime();
        MappingResult result = revoking ? revocation(workspace, attribute) : mapper.map(attribute);
        workspace.stats().mapped(System.nanoTime() - start);
        return deliver(workspace, attribute, attribute.deliveryKey(), result, revoking, workspace.context());
    }

    /**
     * An attribute the workspace holds that its filter no longer takes (a TLP ceiling, a tag): its
     * indicators there go out revoked, under {@code key}, though MISP still shows it.
     */
    public List<PendingStix> revoke(WorkspaceDelivery workspace, MispAttribute attribute, String key) {
        return deliver(workspace, attribute, key, revocation(workspace, attribute), true, null);
    }

    /**
     * The attribute's indicators, revoked. When a refresh kept them valid past the valid_until the
     * attribute makes (a first_seen or last_seen in the past), they are revoked as refreshed now:
     * Sentinel holds them unexpired, whatever the attribute's own times say.
     */
    private MappingResult revocation(WorkspaceDelivery workspace, MispAttribute attribute) {
        StixMapper mapper = workspace.mapper();
        MappingResult result = mapper.revocation(attribute);
        if (result.skipped() && SkipReasons.EXPIRED.equals(result.skipReason())) {
            java.time.Instant now = clock.instant();
            String objectUuid = attribute.object() == null ? null : attribute.object().uuid();
            if (workspace.ledger().holdsActive(attribute.stableKey(), objectUuid, now)) {
                return mapper.revocation(attribute, now);
            }
        }
        return result;
    }

    /**
     * An attribute MISP still shows as a detection, whose indicators in Sentinel expire soon: the
     * same indicators, modified now and valid for another TTL from now, under {@code key} (one per
     * expiry, so each is refreshed once). Their context is in Sentinel already.
     */
    public List<PendingStix> refresh(WorkspaceDelivery workspace, MispAttribute attribute, String key) {
        MappingResult result = workspace.mapper().refresh(attribute, clock.instant());
        List<PendingStix> out = deliver(workspace, attribute, key, result, false, null);
        if (!out.isEmpty()) {
            workspace.stats().refreshed();
        }
        return out;
    }

    /** @param context null: no context objects (the legacy API, a revocation, a refresh) */
    private List<PendingStix> deliver(WorkspaceDelivery workspace, MispAttribute attribute, String key,
                                      MappingResult result, boolean revoking, ThreatContext context) {
        DeliveryLedger ledger = workspace.ledger();
        CycleStats stats = workspace.stats();
        if (result.skipped() || result.indicators().isEmpty()) {
            String reason = result.skipped() ? result.skipReason() : "no-indicator";
            String type = LogLine.clip(attribute.type(), 40);
            if (revoking) {
                stats.skipped(type, reason);
                // expired by now, or no longer mappable: Sentinel matches nothing of it any more
                LOG.debug("attribute {} withdrawn in MISP needs no revocation: {}", attribute.uuid(), reason);
                ledger.forget(attribute.stableKey());
            } else if (reason.equals(SkipReasons.NOT_A_PATTERN) && !MispTypeNames.isMispType(attribute.type())) {
                // a typo or a custom type: named once per cycle with its uuids (CycleStats)
                stats.unknownType(type, attribute.uuid());
            } else if (reason.equals(SkipReasons.NOT_A_PATTERN)) {
                // MISP's own types without a pattern (comment, text, link, ...): counted, not logged
                stats.skipped(type, reason);
                LOG.debug("skipped attribute {} ({}): not a detection pattern", attribute.uuid(), type);
            } else {
                stats.skipped(type, reason);
                LOG.warn("skipped attribute {} ({}): {}{}", attribute.uuid(), type, reason,
                        result.detail() == null ? "" : " - " + LogLine.clip(result.detail(), 200));
            }
            ledger.remove(key);
            return List.of();
        }
        ledger.describe(key, attribute.stableKey(), revoking);
        if (revoking) {
            stats.revoked();
        }
        if (result.wholeObject() && followsObjectIndicator(workspace, key, result.indicators().get(0))) {
            return List.of();
        }
        List<PendingStix> out = new ArrayList<>(result.indicators().size());
        // a revoked indicator needs no context: what it pointed to is already in Sentinel
        List<StixContextObject> related = context == null || revoking ? List.of() : context.objects(attribute);
        HeldContext held = workspace.heldContext();
        Settings.ContextDelivery when = workspace.sentinel().context();
        for (StixContextObject object : related) {
            boolean identity = object.type().equals("identity");
            if (identity ? identitySent(workspace) : when == Settings.ContextDelivery.WITH_INDICATORS) {
                if (held.carry(object)) {
                    out.add(new PendingStix(key, attribute.uuid(), attribute.stableKey(), object));
                }
            } else if (!identity && when == Settings.ContextDelivery.AFTER_INDICATORS) {
                held.holdBack(object);
            }
        }
        for (StixIndicator indicator : result.indicators()) {
            out.add(new PendingStix(key, attribute.uuid(), attribute.stableKey(), indicator));
        }
        if (when != Settings.ContextDelivery.OFF) {
            for (StixContextObject object : related) {
                if (!object.type().equals("identity")) {
                    for (StixIndicator indicator : result.indicators()) {
                        StixRelationship indicates = context.indicates(indicator, object);
                        if (when == Settings.ContextDelivery.WITH_INDICATORS) {
                            out.add(new PendingStix(key, attribute.uuid(), attribute.stableKey(), indicates));
                        } else {
                            held.holdBack(indicates);
                        }
                    }
                }
            }
        }
        ledger.expect(key, out, result.wholeObject());
        stats.indicators(out.size());
        return out;
    }

    /**
     * The creator organisation's identity goes ahead of the indicators that point to it
     * ({@code created_by_ref}), whenever they do: one object per organisation, sent once, so holding
     * it back would save no request.
     */
    private static boolean identitySent(WorkspaceDelivery workspace) {
        return workspace.mapper().options().includeCreatedByRef()
                || workspace.sentinel().context() != Settings.ContextDelivery.OFF;
    }

    /**
     * True when another attribute of the same object already carries this very indicator in this
     * cycle: this attribute is then delivered with it instead of sending it again.
     */
    private static boolean followsObjectIndicator(WorkspaceDelivery workspace, String key, StixIndicator indicator) {
        String version = indicator.id() + "@" + indicator.modified();
        String leader = workspace.objectIndicatorCarrier(version);
        if (leader != null && workspace.ledger().follow(key, leader)) {
            return true;
        }
        workspace.carriesObjectIndicator(version, key);
        return false;
    }
}
