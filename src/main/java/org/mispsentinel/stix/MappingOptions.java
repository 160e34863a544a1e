package org.mispsentinel.stix;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of {@link StixMapper}. Null components fall back to their default, so a partial
 * configuration cannot produce a half-configured mapper.
 *
 * @param profile               pattern shapes; default {@link Profile#SENTINEL}
 * @param defaultTtlDays        days from {@code valid_from} to {@code valid_until}; 0 = no
 *                              {@code valid_until}; default 0
 * @param ttlDaysByKind         per-kind TTL overriding {@code defaultTtlDays} (0 = none for that kind);
 *                              default empty
 * @param useLastSeen           take {@code valid_until} from MISP's {@code last_seen} when it is set;
 *                              default false
 * @param clock                 "now" for the expiry check; default UTC system clock
 * @param mispBaseUrl           base of the event links in {@code external_references}; default null
 *                              (the reference then carries the event uuid only)
 * @param maxValueLength        longer values are skipped as {@code value-too-long}; default 4096
 * @param maxRuleLength         the same for yara/sigma/snort/suricata texts, which are routinely
 *                              longer than observables; default 65536
 * @param ruleHandling          default {@link RuleHandling#SEND}
 * @param defaultTlp            marking when no TLP tag is present; default null (no marking)
 * @param labelAllowPrefixes    when non-empty, only labels starting with one of these (ignoring case)
 *                              are kept; default empty
 * @param labelDenyPrefixes     labels starting with one of these (ignoring case) are dropped; default
 *                              empty
 * @param defaultIndicatorTypes used when no {@code misp:indicator-type="..."} tag is present;
 *                              default {@code [malicious-activity]}; empty = omitted
 * @param defaultConfidence     used when no confidence tag is present; default null (omitted)
 * @param includeCreatedByRef   write {@code created_by_ref} from the creator org; default false because
 *                              the legacy upload API cannot carry the identity object it points to
 */
public record MappingOptions(
        Profile profile,
        int defaultTtlDays,
        Map<IndicatorKind, Integer> ttlDaysByKind,
        boolean useLastSeen,
        Clock clock,
        String mispBaseUrl,
        int maxValueLength,
        int maxRuleLength,
        RuleHandling ruleHandling,
        Tlp defaultTlp,
        List<String> labelAllowPrefixes,
        List<String> labelDenyPrefixes,
        List<String> defaultIndicatorTypes,
        Integer defaultConfidence,
        boolean includeCreatedByRef) {

    public static final int DEFAULT_MAX_VALUE_LENGTH = 4096;
    public static final int DEFAULT_MAX_RULE_LENGTH = 65536;
    public static final List<String> DEFAULT_INDICATOR_TYPES = List.of("malicious-activity");
    /** A century keeps {@code valid_until} far inside the year 9999 that RFC 3339 can express. */
    public static final int MAX_TTL_DAYS = 36500;

    public MappingOptions {
        profile = profile == null ? Profile.SENTINEL : profile;
        requireTtl(defaultTtlDays, "defaultTtlDays");
        Map<IndicatorKind, Integer> kinds = new EnumMap<>(IndicatorKind.class);
        if (ttlDaysByKind != null) {
            ttlDaysByKind.forEach((kind, days) -> {
                if (kind != null && days != null) {
                    requireTtl(days, "ttlDaysByKind." + kind);
                    kinds.put(kind, days);
                }
            });
        }
        ttlDaysByKind = Map.copyOf(kinds);
        clock = clock == null ? Clock.systemUTC() : clock;
        mispBaseUrl = trimBaseUrl(mispBaseUrl);
        maxValueLength = maxValueLength <= 0 ? DEFAULT_MAX_VALUE_LENGTH : maxValueLength;
        maxRuleLength = maxRuleLength <= 0 ? DEFAULT_MAX_RULE_LENGTH : maxRuleLength;
        ruleHandling = ruleHandling == null ? RuleHandling.SEND : ruleHandling;
        labelAllowPrefixes = cleanList(labelAllowPrefixes);
        labelDenyPrefixes = cleanList(labelDenyPrefixes);
        defaultIndicatorTypes = defaultIndicatorTypes == null
                ? DEFAULT_INDICATOR_TYPES : cleanList(defaultIndicatorTypes);
        if (defaultConfidence != null && (defaultConfidence < 0 || defaultConfidence > 100)) {
            throw new IllegalArgumentException("defaultConfidence must be within 0..100: " + defaultConfidence);
        }
    }

    public static MappingOptions defaults() {
        return new MappingOptions(null, 0, null, false, null, null, 0, 0, null, null, null, null, null,
                null, false);
    }

    /** TTL in days for one kind of indicator; 0 means no {@code valid_until}. */
    public int ttlDays(IndicatorKind kind) {
        Integer days = ttlDaysByKind.get(kind);
        return days != null ? days : defaultTtlDays;
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Settable copies of the components; {@link #build()} applies the same defaults and checks. */
    public static final class Builder {
        private Profile profile;
        private int defaultTtlDays;
        private Map<IndicatorKind, Integer> ttlDaysByKind;
        private boolean useLastSeen;
        private Clock clock;
        private String mispBaseUrl;
        private int maxValueLength;
        private int maxRuleLength;
        private RuleHandling ruleHandling;
        private Tlp defaultTlp;
        private List<String> labelAllowPrefixes;
        private List<String> labelDenyPrefixes;
        private List<String> defaultIndicatorTypes;
        private Integer defaultConfidence;
        private boolean includeCreatedByRef;

        private Builder(MappingOptions o) {
            profile = o.profile;
            defaultTtlDays = o.defaultTtlDays;
            ttlDaysByKind = o.ttlDaysByKind;
            useLastSeen = o.useLastSeen;
            clock = o.clock;
            mispBaseUrl = o.mispBaseUrl;
            maxValueLength = o.maxValueLength;
            maxRuleLength = o.maxRuleLength;
            ruleHandling = o.ruleHandling;
            defaultTlp = o.defaultTlp;
            labelAllowPrefixes = o.labelAllowPrefixes;
            labelDenyPrefixes = o.labelDenyPrefixes;
            defaultIndicatorTypes = o.defaultIndicatorTypes;
            defaultConfidence = o.defaultConfidence;
            includeCreatedByRef = o.includeCreatedByRef;
        }

        public Builder profile(Profile value) {
            profile = value;
            return this;
        }

        public Builder defaultTtlDays(int value) {
            defaultTtlDays = value;
            return this;
        }

        public Builder ttlDaysByKind(Map<IndicatorKind, Integer> value) {
            ttlDaysByKind = value;
            return this;
        }

        public Builder useLastSeen(boolean value) {
            useLastSeen = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        public Builder mispBaseUrl(String value) {
            mispBaseUrl = value;
            return this;
        }

        public Builder maxValueLength(int value) {
            maxValueLength = value;
            return this;
        }

        public Builder maxRuleLength(int value) {
            maxRuleLength = value;
            return this;
        }

        public Builder ruleHandling(RuleHandling value) {
            ruleHandling = value;
            return this;
        }

        public Builder defaultTlp(Tlp value) {
            defaultTlp = value;
            return this;
        }

        public Builder labelPrefixes(List<String> allow, List<String> deny) {
            labelAllowPrefixes = allow;
            labelDenyPrefixes = deny;
            return this;
        }

        public Builder defaultIndicatorTypes(List<String> value) {
            defaultIndicatorTypes = value;
            return this;
        }

        public Builder defaultConfidence(Integer value) {
            defaultConfidence = value;
            return this;
        }

        public Builder includeCreatedByRef(boolean value) {
            includeCreatedByRef = value;
            return this;
        }

        public MappingOptions build() {
            return new MappingOptions(profile, defaultTtlDays, ttlDaysByKind, useLastSeen, clock, mispBaseUrl,
                    maxValueLength, maxRuleLength, ruleHandling, defaultTlp, labelAllowPrefixes, labelDenyPrefixes,
                    defaultIndicatorTypes, defaultConfidence, includeCreatedByRef);
        }
    }

    private static void requireTtl(int days, String what) {
        if (days < 0 || days > MAX_TTL_DAYS) {
            throw new IllegalArgumentException(what + " must be within 0.." + MAX_TTL_DAYS + ": " + days);
        }
    }

    private static String trimBaseUrl(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String trimmed = url.trim();
        int end = trimmed.length();
        while (end > 0 && trimmed.charAt(end - 1) == '/') {
            end--;
        }
        return end == 0 ? null : trimmed.substring(0, end);
    }

    private static List<String> cleanList(List<String> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().filter(Objects::nonNull).map(String::trim).filter(s -> !s.isEmpty())
                .distinct().toList();
    }
}
