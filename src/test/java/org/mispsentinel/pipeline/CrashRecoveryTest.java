package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.StateException;
import org.mispsentinel.delivery.StateStore;
import org.mispsentinel.launcher.Application;
import org.mispsentinel.standin.SentinelFault;

class CrashRecoveryTest {

    @TempDir
    Path temp;

    @Test
    void killNineWhileABatchIsInFlightLosesNothingAndDuplicatesAtMostThatBatch() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.page-size", "100");
            List<String> expected = Attributes.addMix(h.dataset, 800);
            // three batches go through; the fourth is held by Sentinel until the process is dead
            h.standIns.sentinel().enqueue(SentinelFault.delay(Duration.ZERO), 3);
            h.standIns.sentinel().enqueue(SentinelFault.delay(Duration.ofMinutes(5)));
            Path log = temp.resolve("child.log");
            Process child = ChildProcess.launch(h, log, "--once");

            await().atMost(Duration.ofSeconds(60)).until(() -> h.standIns.sentinel().pendingFaults() == 0 || !child.isAlive());
            assertThat(child.isAlive()).as("child still running; its log: %s", log).isTrue();
            child.destroyForcibly().waitFor();
            assertThat(h.standIns.sentinel().acceptedCount()).isEqualTo(300);

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            assertThat(after.duplicates()).isEqualTo(300);
            assertThat(h.standIns.sentinel().acceptedIds())
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(Attributes::indicatorId).toList());
            assertThat(h.standIns.sentinel().duplicateUploads()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void damagedStateFileIsRefusedWithAMessageInsteadOfBeingReset() throws Exception {
        Path dir = temp.resolve("state");
        Files.createDirectories(dir);
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(dir.resolve(StateStore.FILE_NAME), garbage);

        assertThatThrownBy(() -> StateStore.open(dir))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("damaged")
                .hasMessageContaining("Move it aside");
        assertThat(Files.readAllBytes(dir.resolve(StateStore.FILE_NAME))).isEqualTo(garbage);
    }

    @Test
    void stateFileWithATornLastWriteOpensAtTheLastCompleteCommitAndResendsNothingDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 120);
            CycleReport first = h.runCycle();
            h.stopApplication();
            Path file = h.stateDir.resolve(StateStore.FILE_NAME);
            long size = Files.size(file);
            // a crash during a write leaves a torn last block
            try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
                channel.truncate(size - 100);
            }

            CycleReport second = h.runCycle();

            // the torn block held the checkpoint commit; the keys committed before it are intact, so
            // the window is read again and nothing is sent twice
            assertThat(second.exitCode()).isZero();
            assertThat(second.checkpointBefore()).isEmpty();
            assertThat(second.duplicates()).isEqualTo(first.delivered());
            assertThat(h.standIns.sentinel().duplicateUploads()).isZero();
            assertThat(h.standIns.sentinel().acceptedCount()).isEqualTo(first.delivered());
        }
    }
}
