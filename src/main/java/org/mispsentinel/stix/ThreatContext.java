package org.mispsentinel.stix;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispTag;

/**
 * The context MISP holds about an attribute, as STIX objects for the STIX objects API: the creator
 * organisation as an {@code identity}, MISP galaxy clusters for ATT&CK techniques and threat actors
 * as {@code attack-pattern} and {@code threat-actor}, and an {@code indicates} relationship from each
 * indicator to each of them. Ids are name-based, so the same technique from two events is one
 * object in Sentinel, and a re-send updates it.
 */
public final class ThreatContext {

    private static final String ATTACK_PATTERN = "misp-galaxy:mitre-attack-pattern=";
    private static final String INTRUSION_SET = "misp-galaxy:mitre-intrusion-set=";
    private static final String THREAT_ACTOR = "misp-galaxy:threat-actor=";

    /** The context objects for one attribute (without relationships). */
    public List<StixContextObject> objects(MispAttribute attribute) {
        String time = StixTimes.format(attribute.timestamp() * 1000);
        List<StixContextObject> out = new ArrayList<>();
        if (StixIds.isUuidShape(attribute.orgcUuid())) {
            String name = attribute.orgcName() == null || attribute.orgcName().isBlank()
                    ? "MISP organisation " + attribute.orgcUuid() : attribute.orgcName();
            out.add(new StixContextObject("identity", "identity--" + attribute.orgcUuid(), time, time, name,
                    "organization", null));
        }
        for (MispTag tag : attribute.tags()) {
            String name = tag.name();
            if (startsWith(name, ATTACK_PATTERN)) {
                out.add(cluster("attack-pattern", value(name, ATTACK_PATTERN), time));
            } else if (startsWith(name, INTRUSION_SET)) {
                out.add(cluster("threat-actor", value(name, INTRUSION_SET), time));
            } else if (startsWith(name, THREAT_ACTOR)) {
                out.add(cluster("threat-actor", value(name, THREAT_ACTOR), time));
            }
        }
        return out;
    }

    /** {@code indicator indicates target}, one per pair. */
    public StixRelationship indicates(StixIndicator indicator, StixContextObject target) {
        String id = "relationship--" + StixIds.nameBasedV5(StixIds.uuidBytes(StixIds.NAMESPACE),
                indicator.id() + "/indicates/" + target.id());
        return new StixRelationship(id, indicator.created(), indicator.modified(), "indicates", indicator.id(),
                target.id());
    }

    /**
     * "Spearphishing Attachment - T1566.001" names a technique and its ATT&CK id; "APT28" only a name.
     */
    private static StixContextObject cluster(String type, String value, String time) {
        String name = value;
        String attackId = null;
        int dash = value.lastIndexOf(" - ");
        if (dash > 0 && isAttackId(value.substring(dash + 3))) {
            name = value.substring(0, dash).trim();
            attackId = value.substring(dash + 3).trim();
        }
        String id = type + "--" + StixIds.nameBasedV5(StixIds.uuidBytes(StixIds.NAMESPACE),
                type + "/" + name.toLowerCase(Locale.ROOT));
        List<StixIndicator.ExternalReference> references = attackId == null ? null
                : List.of(new StixIndicator.ExternalReference("mitre-attack", attackUrl(attackId), attackId, null));
        return new StixContextObject(type, id, time, time, name, null, references);
    }

    private static boolean isAttackId(String s) {
        return s.matches("[TGS]\\d{4}(\\.\\d{3})?");
    }

    private static String attackUrl(String attackId) {
        String path = switch (attackId.charAt(0)) {
            case 'T' -> "techniques/" + attackId.replace('.', '/');
            case 'G' -> "groups/" + attackId;
            default -> "software/" + attackId;
        };
        return "https://attack.mitre.org/" + path + "/";
    }

    private static boolean startsWith(String tag, String prefix) {
        return tag != null && tag.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** The quoted value of a {@code namespace:predicate="value"} tag. */
    private static String value(String tag, String prefix) {
        String v = tag.substring(prefix.length()).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        String clean = Text.clean(v);
        return clean.length() > 256 ? clean.substring(0, 256) : clean;
    }
}
