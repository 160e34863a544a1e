package org.mispsentinel.config;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.mispsentinel.stix.IndicatorKind;
import org.mispsentinel.stix.MappingOptions;
import org.mispsentinel.stix.Profile;
import org.mispsentinel.stix.RuleHandling;
import org.mispsentinel.stix.Tlp;

/** The {@code stix.*} settings (and the TTL) as the mapper's options. */
final class MappingSettings {

    private MappingSettings() {
    }

    /** @param identitiesSent whether the creator organisations' identities go to Sentinel, so that created_by_ref can point to them */
    static MappingOptions read(SettingsReader r, String mispUrl, boolean identitiesSent) {
        Map<IndicatorKind, Integer> ttlByKind = new EnumMap<>(IndicatorKind.class);
        for (IndicatorKind kind : IndicatorKind.values()) {
            String key = "stix.ttl-days." + kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
            if (r.optional(key).isPresent()) {
                ttlByKind.put(kind, r.integer(key, 0, 0, MappingOptions.MAX_TTL_DAYS));
            }
        }
        Integer confidence = r.optional("stix.default-confidence").isPresent()
                ? r.integer("stix.default-confidence", 0, 0, 100) : null;
        return new MappingOptions(
                choice(r, "stix.profile", "sentinel", Map.of("sentinel", Profile.SENTINEL, "misp-stix", Profile.MISP_STIX)),
                r.integer("misp.indicator-ttl-days", 0, 0, MappingOptions.MAX_TTL_DAYS),
                ttlByKind,
                r.bool("stix.valid-until-from-last-seen", false),
                null,
                mispUrl,
                r.integer("stix.max-value-length", MappingOptions.DEFAULT_MAX_VALUE_LENGTH, 16, 1_000_000),
                r.integer("stix.max-rule-length", MappingOptions.DEFAULT_MAX_RULE_LENGTH, 16, 10_000_000),
                choice(r, "stix.rules", "send", Map.of("send", RuleHandling.SEND, "skip", RuleHandling.SKIP)),
                defaultTlp(r),
                r.list("stix.labels-allow"),
                r.list("stix.labels-deny"),
                indicatorTypes(r),
                confidence,
                r.bool("stix.created-by-ref", identitiesSent));
    }

    private static java.util.List<String> indicatorTypes(SettingsReader r) {
        java.util.List<String> types = r.list("stix.indicator-types");
        if (types.isEmpty()) {
            return null;
        }
        return types.equals(java.util.List.of("none")) ? java.util.List.of() : types;
    }

    private static Tlp defaultTlp(SettingsReader r) {
        String value = r.string("stix.default-tlp", "none").toLowerCase(Locale.ROOT);
        if (value.equals("none")) {
            return null;
        }
        Tlp tlp = Tlp.fromTag("tlp:" + value);
        if (tlp == null) {
            throw new ConfigurationException(r.keyOf("stix.default-tlp"), "must be none, clear, white, green, amber or red");
        }
        return tlp;
    }

    private static <T> T choice(SettingsReader r, String key, String fallback, Map<String, T> values) {
        String value = r.string(key, fallback).toLowerCase(Locale.ROOT);
        T result = values.get(value);
        if (result == null) {
            throw new ConfigurationException(r.keyOf(key), "must be one of " + new java.util.TreeSet<>(values.keySet()));
        }
        return result;
    }
}
