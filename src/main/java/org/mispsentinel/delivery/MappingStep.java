package org.mispsentinel.delivery;

import java.util.ArrayList;
import java.util.List;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.Text;
import org.mispsentinel.stix.MappingResult;
import org.mispsentinel.stix.StixIndicator;
import org.mispsentinel.stix.StixMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route's mapping step: one attribute in, its indicators out, each tagged with the attribute's
 * delivery key so that the ledger can tell when all of them were accepted.
 */
public final class MappingStep {

    private static final Logger LOG = LoggerFactory.getLogger(MappingStep.class);

    private final StixMapper mapper;
    private final DeliveryLedger ledger;
    private final SyncCycle cycle;

    public MappingStep(StixMapper mapper, DeliveryLedger ledger, SyncCycle cycle) {
        this.mapper = mapper;
        this.ledger = ledger;
        this.cycle = cycle;
    }

    public List<PendingIndicator> map(MispAttribute attribute) {
        String key = attribute.deliveryKey();
        long start = System.nanoTime();
        MappingResult result = mapper.map(attribute);
        cycle.stats().mapped(System.nanoTime() - start);
        if (result.skipped() || result.indicators().isEmpty()) {
            String reason = result.skipped() ? result.skipReason() : "no-indicator";
            cycle.stats().skipped(Text.clip(attribute.type(), 40), reason);
            if (reason.equals("not-a-pattern")) {
                LOG.debug("skipped attribute {} ({}): not a detection pattern", attribute.uuid(), Text.clip(attribute.type(), 40));
            } else {
                LOG.warn("skipped attribute {} ({}): {}{}", attribute.uuid(), Text.clip(attribute.type(), 40), reason,
                        result.detail() == null ? "" : " - " + Text.clip(result.detail(), 200));
            }
            ledger.remove(key);
            return List.of();
        }
        List<PendingIndicator> out = new ArrayList<>(result.indicators().size());
        for (StixIndicator indicator : result.indicators()) {
            out.add(new PendingIndicator(key, attribute.uuid(), indicator));
        }
        ledger.expect(key, out.size());
        cycle.stats().indicators(out.size());
        return out;
    }
}
