package org.mispsentinel.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads one workspace's state for {@code --report}, without the network and without changing it:
 * from the state file when it is free, else from the summary the instance holding it wrote at the end
 * of its last cycle that moved the checkpoint.
 */
public final class StateReport {

    private StateReport() {
    }

    /**
     * Whether a run has kept state in the directory: its store, the summary of the instance holding
     * it, or dead letters. A directory without any is not a workspace that holds nothing.
     */
    public static boolean holdsState(Path stateDir) {
        return Files.exists(stateDir.resolve(StateStore.FILE_NAME)) || Files.exists(stateDir.resolve(StateSummary.FILE_NAME))
                || Files.exists(stateDir.resolve(DeadLetters.FILE_NAME));
    }

    /** @throws StateException when the file is damaged, or held by an instance that has written no summary yet */
    public static StateSnapshot read(Path stateDir, Clock clock) {
        long deadLettered = DeadLetters.count(stateDir);
        StateSnapshot counted;
        if (!Files.exists(stateDir.resolve(StateStore.FILE_NAME))) {
            counted = new StateSnapshot(new HeldIndicators(0, 0, 0, 0, 0), 0, OptionalLong.empty(), Optional.empty(),
                    clock.instant(), false, 0);
        } else {
            StateStore store = StateStore.openForReading(stateDir);
            if (store == null) {
                counted = summary(stateDir);
            } else {
                try (store) {
                    counted = StateSummary.of(store, clock.instant(), false);
                }
            }
        }
        return new StateSnapshot(counted.held(), deadLettered, counted.checkpoint(), counted.lastSuccess(),
                counted.asOf(), counted.fromSummary(), counted.contextWaiting());
    }

    /** The numbers of a store opened for reading only (a view of a shared store), counted now. */
    public static StateSnapshot read(StateStore store, Clock clock) {
        StateSnapshot counted = StateSummary.of(store, clock.instant(), false);
        return new StateSnapshot(counted.held(), store.deadLetters().count(), counted.checkpoint(),
                counted.lastSuccess(), counted.asOf(), false, counted.contextWaiting());
    }

    private static StateSnapshot summary(Path stateDir) {
        try {
            return StateSummary.read(stateDir).orElseThrow(() -> new StateException("state file "
                    + stateDir.resolve(StateStore.FILE_NAME).toAbsolutePath() + " is in use by a running misp-sentinel "
                    + "that has not ended a cycle yet; its numbers appear in " + StateSummary.FILE_NAME
                    + " when one has"));
        } catch (IOException e) {
            throw new UncheckedIOException("state summary in " + stateDir + " cannot be read", e);
        }
    }
}
