package org.mispsentinel.stix;

import java.util.ArrayList;
import java.util.List;
import org.mispsentinel.misp.MispTag;

/** What the tags of one attribute say about TLP, confidence and indicator types, read in one pass. */
final class TagFacts {

    private static final String CONFIDENCE_PREFIX = "misp:confidence-level=";
    private static final String INDICATOR_TYPE_PREFIX = "misp:indicator-type=";

    /**
     * The strictest TLP tag of the attribute and its event, else null: the rule a workspace's
     * {@code filter.tlp-max} judges by, so that what a workspace may receive and how it is marked agree.
     */
    final Tlp tlp;
    /** Lowest confidence tag, or null. */
    final Integer confidence;
    /** From {@code misp:indicator-type="..."} tags, or empty. */
    final List<String> indicatorTypes;

    private TagFacts(Tlp tlp, Integer confidence, List<String> indicatorTypes) {
        this.tlp = tlp;
        this.confidence = confidence;
        this.indicatorTypes = indicatorTypes;
    }

    static TagFacts read(List<MispTag> tags) {
        Tlp own = null;
        Tlp inherited = null;
        int confidence = Integer.MAX_VALUE;
        List<String> types = List.of();
        for (MispTag tag : tags) {
            String name = tag == null ? null : tag.name();
            if (name == null || name.length() < 4) {
                continue;
            }
            Tlp level = Tlp.fromTag(name);
            if (level != null) {
                if (tag.inherited()) {
                    inherited = Tlp.stricter(inherited, level);
                } else {
                    own = Tlp.stricter(own, level);
                }
                continue;
            }
            if (name.regionMatches(true, 0, CONFIDENCE_PREFIX, 0, CONFIDENCE_PREFIX.length())) {
                int value = confidenceOf(unquote(name, CONFIDENCE_PREFIX.length()));
                if (value >= 0 && value < confidence) {
                    confidence = value;
                }
            } else if (name.regionMatches(true, 0, INDICATOR_TYPE_PREFIX, 0, INDICATOR_TYPE_PREFIX.length())) {
                String type = unquote(name, INDICATOR_TYPE_PREFIX.length());
                if (!type.isEmpty()) {
                    if (types.isEmpty()) {
                        types = new ArrayList<>(2);
                    }
                    if (!types.contains(type)) {
                        types.add(type);
                    }
                }
            }
        }
        return new TagFacts(Tlp.stricter(own, inherited),
                confidence == Integer.MAX_VALUE ? null : confidence,
                types.isEmpty() ? types : List.copyOf(types));
    }

    /** The MISP confidence-level taxonomy in STIX's 0..100 scale; -1 for other values. */
    static int confidenceOf(String level) {
        if (level.equalsIgnoreCase("completely-confident")) {
            return 100;
        }
        if (level.equalsIgnoreCase("usually-confident")) {
            return 75;
        }
        if (level.equalsIgnoreCase("fairly-confident")) {
            return 50;
        }
        if (level.equalsIgnoreCase("rarely-confident")) {
            return 25;
        }
        return level.equalsIgnoreCase("unconfident") ? 0 : -1;
    }

    private static String unquote(String name, int from) {
        int end = name.length();
        if (end - from >= 2 && name.charAt(from) == '"' && name.charAt(end - 1) == '"') {
            return name.substring(from + 1, end - 1).trim();
        }
        return name.substring(from).trim();
    }
}
