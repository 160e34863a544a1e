package org.mispsentinel.stix;

import java.util.List;

/**
 * What a type handler made of a value: the patterns, or why the value is no indicator (one of the
 * {@link SkipReasons} and the detail). The first pattern becomes {@code indicator--<attribute uuid>};
 * each further one is named by its {@code part} so that its id can be derived deterministically.
 */
record Built(List<Piece> pieces, String skipReason, String invalid) {

    record Piece(String part, IndicatorKind kind, String patternType, String pattern) {
    }

    static Built invalid(String why) {
        return skip(SkipReasons.INVALID_VALUE, why);
    }

    static Built skip(String reason, String why) {
        return new Built(List.of(), reason, why);
    }

    static Built stix(IndicatorKind kind, String pattern) {
        return new Built(List.of(new Piece(null, kind, "stix", pattern)), null, null);
    }

    static Built stix(IndicatorKind kind, String pattern, String part2, IndicatorKind kind2, String pattern2) {
        return new Built(List.of(new Piece(null, kind, "stix", pattern), new Piece(part2, kind2, "stix", pattern2)), null, null);
    }

    static Built rule(String language, String text) {
        return new Built(List.of(new Piece(null, IndicatorKind.RULE, language, text)), null, null);
    }
}
