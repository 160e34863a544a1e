package org.mispsentinel.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mispsentinel.stix.Tlp;

class WorkspaceFilterTest {

    @Test
    void typesAndTagsIncludeAndExclude() {
        WorkspaceFilter filter = new WorkspaceFilter(List.of("ip-dst", "domain"), List.of(), List.of("customer:a"),
                List.of("internal"), null);

        assertThat(filter.accepts("ip-dst", List.of("customer:a"), null)).isTrue();
        assertThat(filter.accepts("IP-DST", List.of("customer:a"), null)).as("MISP types in any case").isTrue();
        assertThat(filter.accepts("sha256", List.of("customer:a"), null)).isFalse();
        assertThat(filter.accepts("domain", List.of("customer:b"), null)).isFalse();
        assertThat(filter.accepts("domain", List.of("customer:a", "internal"), null)).isFalse();
    }

    @Test
    void tlpCeilingLetsThroughWhatIsAtMostThatRestricted() {
        WorkspaceFilter amber = new WorkspaceFilter(List.of(), List.of(), List.of(), List.of(), Tlp.AMBER);

        assertThat(amber.accepts("domain", List.of(), Tlp.GREEN)).isTrue();
        assertThat(amber.accepts("domain", List.of(), Tlp.AMBER)).isTrue();
        assertThat(amber.accepts("domain", List.of(), Tlp.RED)).isFalse();
        assertThat(amber.accepts("domain", List.of(), null)).as("unmarked, no default marking").isTrue();
        assertThat(WorkspaceFilter.ALL.accepts("domain", List.of(), Tlp.RED)).isTrue();
    }
}
