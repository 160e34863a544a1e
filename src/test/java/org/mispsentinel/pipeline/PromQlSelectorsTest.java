package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mispsentinel.pipeline.PromQlSelectors.Selector;

class PromQlSelectorsTest {

    @Test
    void findsTheSeriesOfAnExpressionWithTheLabelsItSelectsAndGroupsBy() {
        assertThat(PromQlSelectors.of(
                "sum by (workspace) (increase(misp_sentinel_refused_total{workspace=~\"$workspace\"}[$__rate_interval])) > 0"))
                .containsExactly(new Selector("misp_sentinel_refused_total", Set.of("workspace")));
        assertThat(PromQlSelectors.of("rate(a_seconds_sum[5m]) / rate(a_seconds_count[5m])"))
                .extracting(Selector::name).containsExactly("a_seconds_sum", "a_seconds_count");
        assertThat(PromQlSelectors.of("time() - last_seconds{workspace=\"a,b=c\", outcome!=\"x\"} > 7200"))
                .containsExactly(new Selector("last_seconds", Set.of("workspace", "outcome")));
    }

    @Test
    void readsGrafanasLabelValuesQuery() {
        assertThat(PromQlSelectors.of("label_values(misp_sentinel_checkpoint_age_seconds, workspace)"))
                .containsExactly(new Selector("misp_sentinel_checkpoint_age_seconds", Set.of("workspace")));
    }
}
