package org.mispsentinel.delivery;

import java.util.Iterator;
import java.util.List;

/** {@code --replay-dead-letters}: the route replays each workspace's own dead-letter file in turn. */
public final class DeadLetterReplay {

    private final List<WorkspaceDelivery> workspaces;

    public DeadLetterReplay(List<WorkspaceDelivery> workspaces) {
        this.workspaces = List.copyOf(workspaces);
    }

    public Iterator<PendingStix> startReplay(WorkspaceDelivery workspace) {
        // another instance owns it, and replays its file
        if (!workspace.ownedInCycle()) {
            return java.util.Collections.emptyIterator();
        }
        return workspace.deadLetters().startReplay();
    }

    /** Once every upload of the replay was settled: each file keeps only what is still refused. */
    public void finishReplay() {
        workspaces.stream().filter(WorkspaceDelivery::ownedInCycle).forEach(w -> w.deadLetters().finishReplay());
    }
}
