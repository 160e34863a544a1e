package org.mispsentinel.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review 3, N17: --report and --check hold the state file for a moment; a service starting then must not fail. */
class StateLockTest {

    @TempDir
    Path dir;

    @Test
    void aServiceStartingWhileAReportReadsTheStateWaitsForItInsteadOfFailing() throws Exception {
        StateStore.open(dir).close();
        StateStore report = StateStore.openForReading(dir);
        CompletableFuture<StateStore> started = new CompletableFuture<>();
        Thread starting = new Thread(() -> {
            try {
                started.complete(StateStore.open(dir));
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        }, "starting-service");
        starting.start();

        // the service found the file locked and waits for it
        await().atMost(Duration.ofSeconds(30)).until(() -> started.isDone()
                || starting.getState() == Thread.State.TIMED_WAITING);
        assertThat(started).as("the start failed on the report's lock").isNotDone();
        report.close();

        try (StateStore store = started.get()) {
            assertThat(store.usable()).isTrue();
        }
    }

    @Test
    void aSecondInstanceIsStillRefused() {
        try (StateStore running = StateStore.open(dir)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> StateStore.open(dir))
                    .isInstanceOf(StateException.class).hasMessageContaining("another misp-sentinel is running");
        }
    }
}
