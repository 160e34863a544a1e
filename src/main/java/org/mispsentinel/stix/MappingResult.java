package org.mispsentinel.stix;

import java.util.List;

/**
 * What the mapper made of one attribute: one or more indicators, or the reason it is not an
 * indicator. {@code skipReason} is short and stable (for example {@code "not-a-pattern"},
 * {@code "invalid-value"}), because cycle summaries count skips by type and reason;
 * {@code detail} says what was wrong for the log line.
 */
public record MappingResult(List<StixIndicator> indicators, String skipReason, String detail) {

    public static MappingResult of(List<StixIndicator> indicators) {
        return new MappingResult(List.copyOf(indicators), null, null);
    }

    public static MappingResult skip(String reason, String detail) {
        return new MappingResult(List.of(), reason, detail);
    }

    public boolean skipped() {
        return skipReason != null;
    }
}
