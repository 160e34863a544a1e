package org.mispsentinel.delivery;

import org.mispsentinel.config.Settings;

/**
 * Where each workspace's state is kept. Opening a workspace's store takes it for this instance:
 * a file store locks its file, a shared store claims the workspace from whoever held it before.
 */
@FunctionalInterface
public interface StateStores {

    /** One H2 file per workspace, in its state directory: a single instance's state. */
    StateStores FILES = workspace -> StateStore.open(workspace.stateDir());

    StateStore open(Settings.Workspace workspace);
}
