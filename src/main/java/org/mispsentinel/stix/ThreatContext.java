package org.mispsentinel.stix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispTag;

/**
 * The context MISP holds about an attribute, as STIX objects for the STIX objects API: the creator
 * organisation as an {@code identity}, MISP galaxy clusters for ATT&CK techniques and threat actors
 * as {@code attack-pattern} and {@code threat-actor}, and an {@code indicates} relationship from each
 * indicator to each of them. Ids are name-based (on the ATT&CK id where the cluster has one, else on
 * its name), so the same technique from two events is one object in Sentinel, and a re-send
 * updates it.
 *
 * <p>Each of these objects is carried by whichever attribute meets it first, so its times cannot
 * come from that attribute alone: STIX 2.1 (section 3.2) has {@code created} never change between
 * versions of one object. MISP says nothing about when an organisation, a technique or an actor
 * came to be, so {@code created} is the one fixed {@link #CREATED} for all of them, and only
 * {@code modified} follows the carrying attribute (never before {@code created}, as STIX requires).
 */
public final class ThreatContext {

    /**
     * The Unix epoch: a fixed instant no MISP timestamp precedes, so {@code modified >= created}
     * holds for every version; changing it would make every context object in Sentinel contradict
     * its earlier versions.
     */
    static final String CREATED = StixTimes.format(0);

    /**
     * Galaxy tag prefixes and the STIX type their clusters become. MISP's older ATT&CK galaxies
     * ({@code mitre-enterprise-attack-*}, {@code mitre-mobile-attack-*}, {@code mitre-pre-attack-*})
     * are still on many events shared years ago; their cluster values have the same
     * "Name - T1234" shape.
     */
    private static final Map<String, String> CLUSTER_TYPES = clusterTypes();

    private static Map<String, String> clusterTypes() {
        Map<String, String> types = new HashMap<>();
        types.put("misp-galaxy:mitre-attack-pattern=", "attack-pattern");
        types.put("misp-galaxy:mitre-intrusion-set=", "threat-actor");
        types.put("misp-galaxy:threat-actor=", "threat-actor");
        for (String legacy : new String[] {"enterprise", "mobile", "pre"}) {
            types.put("misp-galaxy:mitre-" + legacy + "-attack-attack-pattern=", "attack-pattern");
            types.put("misp-galaxy:mitre-" + legacy + "-attack-intrusion-set=", "threat-actor");
        }
        return Map.copyOf(types);
    }

    /** The context objects for one attribute (without relationships). */
    public List<StixContextObject> objects(MispAttribute attribute) {
        String time = modified(attribute.timestamp());
        List<StixContextObject> out = new ArrayList<>();
        if (StixIds.isUuidShape(attribute.orgcUuid())) {
            String name = attribute.orgcName() == null || attribute.orgcName().isBlank()
                    ? "MISP organisation " + attribute.orgcUuid() : attribute.orgcName();
            out.add(new StixContextObject("identity", "identity--" + attribute.orgcUuid(), CREATED, time, name,
                    "organization", null));
        }
        for (MispTag tag : attribute.tags()) {
            String name = tag.name();
            int equals = name == null || !startsWith(name, "misp-galaxy:") ? -1 : name.indexOf('=');
            String type = equals < 0 ? null : CLUSTER_TYPES.get(name.substring(0, equals + 1).toLowerCase(Locale.ROOT));
            if (type != null) {
                StixContextObject cluster = cluster(type, value(name, equals + 1), time);
                if (!out.contains(cluster)) {
                    out.add(cluster);
                }
            }
        }
        return out;
    }

    /**
     * {@code indicator indicates target}, one per pair. Its id is derived from the pair, so it too is
     * one object across the indicator's versions and keeps {@link #CREATED}.
     */
    public StixRelationship indicates(StixIndicator indicator, StixContextObject target) {
        String id = "relationship--" + StixIds.nameBasedV5(StixIds.uuidBytes(StixIds.NAMESPACE),
                indicator.id() + "/indicates/" + target.id());
        return new StixRelationship(id, CREATED, indicator.modified(), "indicates", indicator.id(), target.id());
    }

    /**
     * "Spearphishing Attachment - T1566.001" names a technique and its ATT&CK id; "APT28" only a name.
     * The object's id comes from the ATT&CK id where there is one: MISP's ATT&CK galaxy gives one name
     * to several techniques ("Spearphishing Attachment" is T1566.001, T1598.002 and the retired
     * T1193), and ids from the name would make them one object, linked to whichever was sent first.
     */
    private static StixContextObject cluster(String type, String value, String time) {
        String name = value;
        String attackId = null;
        int dash = value.lastIndexOf(" - ");
        if (dash > 0 && isAttackId(value.substring(dash + 3))) {
            name = value.substring(0, dash).trim();
            attackId = value.substring(dash + 3).trim();
        }
        String seed = attackId != null ? "mitre-attack/" + attackId : name.toLowerCase(Locale.ROOT);
        String id = type + "--" + StixIds.nameBasedV5(StixIds.uuidBytes(StixIds.NAMESPACE), type + "/" + seed);
        List<StixIndicator.ExternalReference> references = attackId == null ? null
                : List.of(new StixIndicator.ExternalReference("mitre-attack", attackUrl(attackId), attackId, null));
        return new StixContextObject(type, id, CREATED, time, name, null, references);
    }

    /** The attribute's time, kept within what STIX can write and never before {@link #CREATED}. */
    private static String modified(long epochSeconds) {
        return StixTimes.format(Math.max(0, Math.min(epochSeconds, StixTimes.MAX_MILLIS / 1000)) * 1000);
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

    /** The quoted value of a {@code namespace:predicate="value"} tag, which starts at {@code from}. */
    private static String value(String tag, int from) {
        String v = tag.substring(from).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        String clean = Text.clean(v);
        return clean.length() > 256 ? clean.substring(0, 256) : clean;
    }
}
