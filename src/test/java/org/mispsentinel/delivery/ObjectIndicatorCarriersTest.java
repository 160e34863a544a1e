package org.mispsentinel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.config.Settings;
import org.mispsentinel.sentinel.SentinelIdentity;
import org.mispsentinel.stix.StixMapper;

/** Who carries each object indicator in a cycle is remembered for the latest objects only, not the whole window. */
class ObjectIndicatorCarriersTest {

    @TempDir
    Path dir;

    @Test
    void theCarriersOfObjectIndicatorsDoNotGrowWithTheWindow() {
        Map<String, String> values = new HashMap<>();
        values.put("misp.url", "https://misp.example.org");
        values.put("misp.api-key", "object-carriers-test-key-7d2a9c41");
        values.put("dry-run.enabled", "true");
        values.put("state.dir", dir.toString());
        Settings settings = Settings.load(key -> Optional.ofNullable(values.get(key)));
        Settings.Workspace only = settings.workspaces().get(0);
        WorkspaceDelivery workspace = WorkspaceDelivery.open(StateStores.FILES, only, settings.misp(),
                new SentinelIdentity("none", "(none)", null, "none", 100), new StixMapper(only.mapping()), 100, false);
        try {
            int objects = 3 * WorkspaceDelivery.OBJECT_CARRIERS;
            for (int i = 0; i < objects; i++) {
                workspace.carriesObjectIndicator("indicator--object-" + i + "@t", "key-" + i);
            }

            assertThat(workspace.objectIndicatorCarrier("indicator--object-0@t")).as("the oldest is forgotten").isNull();
            assertThat(workspace.objectIndicatorCarrier("indicator--object-" + (objects - 1) + "@t"))
                    .isEqualTo("key-" + (objects - 1));
        } finally {
            workspace.close();
        }
    }
}
