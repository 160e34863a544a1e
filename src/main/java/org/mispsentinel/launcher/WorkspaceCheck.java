package org.mispsentinel.launcher;

import java.time.Clock;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.io.CloseMode;
import org.mispsentinel.config.Settings;
import org.mispsentinel.config.SettingsReader;
import org.mispsentinel.http.OutboundHttp;
import org.mispsentinel.http.ProxySettings;
import org.mispsentinel.sentinel.BearerToken;
import org.mispsentinel.sentinel.TokenProbe;
import org.mispsentinel.sentinel.TokenProvider;
import org.mispsentinel.sentinel.UploadProbe;

/** The lines of {@code --check} for one workspace: a token for its app, its permission to upload, its state. */
final class WorkspaceCheck {

    private final Settings.Workspace workspace;
    private final SettingsReader keys;
    private final TokenProvider tokens;
    private final SSLContext ssl;
    private final boolean insecure;
    private final ProxySettings proxy;
    private final Clock clock;

    /** @param keys the workspace's settings, which name the key in effect for each */
    WorkspaceCheck(Settings.Workspace workspace, SettingsReader keys, TokenProvider tokens, SSLContext ssl,
                   boolean insecure, ProxySettings proxy, Clock clock) {
        this.workspace = workspace;
        this.keys = keys;
        this.tokens = tokens;
        this.ssl = ssl;
        this.insecure = insecure;
        this.proxy = proxy;
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
        Settings.Sentinel sentinel = workspace.sentinel();
        CloseableHttpClient http = (CloseableHttpClient) OutboundHttp.client(ssl, insecure, sentinel.timeout(),
                new BearerToken(tokens), proxy);
        try {
            return new UploadProbe(sentinel, http, workspace.azure().clientId(), keys::nameOf, clock).probe();
        } finally {
            http.close(CloseMode.GRACEFUL);
        }
    }
}
