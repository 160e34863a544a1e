package org.mispsentinel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateCachesTest {

    @TempDir
    Path temp;

    @Test
    void theStatesOpenInOneJvmShareOneCacheBudgetAndAClosedOneLeavesItsShareToTheOthers() {
        List<StateStore> stores = new ArrayList<>();
        // states other tests of this JVM still hold (a crash they simulate leaves them open)
        int others = StateCaches.open();
        try {
            for (int i = 0; i < 4; i++) {
                stores.add(StateStore.open(temp.resolve("workspace" + i)));
            }
            assertThat(stores).allSatisfy(s -> assertThat(s.maps().getCacheSize()).isEqualTo(share(4 + others)));

            for (StateStore closed : stores.subList(1, 4)) {
                closed.close();
            }
            assertThat(stores.get(0).maps().getCacheSize()).isEqualTo(share(1 + others));
        } finally {
            stores.forEach(StateStore::close);
        }
    }

    private static int share(int stores) {
        return Math.max(1, StateCaches.BUDGET_MB / stores);
    }
}
