package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StixPatternCheckerTest {

    @Test
    void readsBackAnEscapedStringLiteralAndAQuotedPathSegment() {
        StixPatternChecker.Comparison c = StixPatternChecker.parse("[file:hashes.'SHA-256' = 'a\\'b\\\\c']").single();
        assertThat(c.objectType()).isEqualTo("file");
        assertThat(c.path()).containsExactly("hashes", "SHA-256");
        assertThat(c.operator()).isEqualTo("=");
        assertThat(c.value()).isEqualTo("a'b\\c");
    }

    @Test
    void parsesCompoundPatternsWithListIndexesOperatorsAndQualifiers() {
        StixPatternChecker.Parsed p = StixPatternChecker.parse(
                "([domain-name:value = 'x.org' AND domain-name:resolves_to_refs[*].value = '1.2.3.4'] "
                        + "OR [network-traffic:dst_port IN (80, 443) AND network-traffic:src_port NOT > 1024]) "
                        + "FOLLOWEDBY [file:name LIKE 'a%' OR file:name MATCHES '^b' OR file:size <= 10 "
                        + "OR file:x[0].y != true OR EXISTS file:z OR file:h = h'00ff' OR file:b = b'AAAA'] "
                        + "WITHIN 600 SECONDS REPEATS 2 TIMES "
                        + "START t'2024-01-01T00:00:00Z' STOP t'2024-01-02T00:00:00.5Z'");
        assertThat(p.observations()).isEqualTo(3);
        assertThat(p.connectives()).containsExactlyInAnyOrder("AND", "OR", "FOLLOWEDBY");
        assertThat(p.comparisons()).hasSize(11);
        assertThat(p.comparisons().get(1).pathText()).isEqualTo("domain-name:resolves_to_refs[*].value");
        assertThat(p.comparisons().get(2).value()).isEqualTo(List.of(80L, 443L));
        assertThat(p.comparisons().get(3).negated()).isTrue();
        assertThat(p.comparisons().get(7).pathText()).isEqualTo("file:x[0].y");
        assertThat(p.comparisons().get(8).operator()).isEqualTo("EXISTS");
    }

    @Test
    void readsIntegersAsNumbersNotStrings() {
        assertThat(StixPatternChecker.parse("[autonomous-system:number = 4294967295]").single().value())
                .isEqualTo(4294967295L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "file:name = 'a'",                        // no brackets
        "[file:name = 'a'",                       // unclosed
        "[file:name = 'a]",                       // unterminated string
        "[file:name = 'a\\x']",                   // only \\ and \' are escapes
        "[file:name = 'a'b']",                    // unescaped quote
        "[file:hashes.SHA-256 = 'a']",            // hyphenated segment must be quoted
        "[file:name == 'a']",
        "[file:name = ]",
        "[file name = 'a']",
        "[file:name = 'a' and file:size = 1]",    // keywords are upper case
        "[file:size = 01]",                       // leading zero
        "[file:x[a] = 1]",
        "[file:name = 'a'] WITHIN 0 SECONDS",
        "[file:name = 'a'] junk",
        "[AND:name = 'a']",
        "[]",
        ""
    })
    void rejectsMalformedPatterns(String pattern) {
        assertThatThrownBy(() -> StixPatternChecker.parse(pattern))
                .isInstanceOf(StixPatternChecker.PatternSyntaxError.class);
    }
}
