package org.mispsentinel.launcher.logging;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * logback's own warnings and errors (a logging configuration that does not load) on stderr. Without
 * a listener logback prints its whole start-up status to stdout as soon as one line warns, ahead of
 * the output of {@code --dry-run} or {@code --report --json} that scripts parse.
 */
public final class StatusWarningsToStderr implements StatusListener {

    @Override
    public void addStatusEvent(Status status) {
        if (status.getLevel() >= Status.WARN) {
            System.err.println("logging: " + status);
        }
    }
}
