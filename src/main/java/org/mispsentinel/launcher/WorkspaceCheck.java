package org.mispsentinel.launcher;

import java.time.Clock;
import java.util.function.Supplier;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.io.CloseMode;
import org.mispsentinel.config.Settings;
import org.mispsentinel.config.SettingsReader;
import org.mispsentinel.sentinel.TokenProbe;
import org.mispsentinel.sentinel.TokenProvider;
import org.mispsentinel.sentinel.UploadProbe;

/** The lines of {@code --check} for one workspace: a token for its app, its permission to upload, its state. */
final class WorkspaceCheck {

    private final Settings.Workspace workspace;
    private final SettingsReader keys;
    private final TokenProvider tokens;
    private final Supplier<CloseableHttpClient> sentinelHttp;
    private final Clock clock;

    /**
     * @param keys         the workspace's settings, which name the key in effect for each
     * @param sentinelHttp a client for Sentinel that adds the tokens of {@code tokens}
     */
    WorkspaceCheck(Settings.Workspace workspace, SettingsReader keys, TokenProvider tokens,
                   Supplier<CloseableHttpClient> sentinelHttp, Clock clock) {
        this.workspace = workspace;
        this.keys = keys;
        this.tokens = tokens;
        this.sentinelHttp = sentinelHttp;
        this.clock = clock;
    }

    void run(CheckReport report) {
        String subject = "workspace " + workspace.name() + ": ";
        if (report.run(subject + "token", () -> new TokenProbe(tokens, workspace.azure(), keys::nameOf).probe())) {
            report.run(subject + "upload", this::upload);
        } else {
            report.skip(subject + "upload", "needs a token");
        }
        report.run(subject + "state", () -> StateCheck.check(workspace.stateDir()));
    }

    private String upload() {
        CloseableHttpClient http = sentinelHttp.get();
        try {
            return new UploadProbe(workspace.sentinel(), http, workspace.azure().clientId(), keys::nameOf, clock).probe();
        } finally {
            http.close(CloseMode.GRACEFUL);
        }
    }
}
