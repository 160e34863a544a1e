package org.mispsentinel.stix;

import java.util.List;

/**
 * What the mapper made of one attribute: one or more indicators, or the reason it is not an
 * indicator. {@code skipReason} is short and stable (for example {@code "not-a-pattern"},
 * {@code "invalid-value"}), because cycle summaries count skips by type and reason;
 * {@code detail} says what was wrong for the log line.
 *
 * @param wholeObject the one indicator stands for the attribute's whole MISP object, so every
 *                    attribute of that object yields the same one
 */
public record MappingResult(List<StixIndicator> indicators, String skipReason, String detail, boolean wholeObject) {

    public static MappingResult of(List<StixIndicator> indicators) {
        return new MappingResult(List.copyOf(indicators), null, null, false);
    }

    static MappingResult ofObject(StixIndicator indicator) {
        return new MappingResult(List.of(indicator), null, null, true);
    }

    public static MappingResult skip(String reason, String detail) {
        return new MappingResult(List.of(), reason, detail, false);
    }

    /** The same indicators, marked revoked (MISP withdrew the attribute). */
    MappingResult revoked() {
        return skipped() ? this : new MappingResult(indicators.stream().map(StixIndicator::revoke).toList(),
                null, null, wholeObject);
    }

    public boolean skipped() {
        return skipReason != null;
    }
}
