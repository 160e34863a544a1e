package org.mispsentinel.launcher;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.io.CloseMode;
import org.mispsentinel.config.PropertyLookup;
import org.mispsentinel.config.Settings;
import org.mispsentinel.config.SettingsReader;
import org.mispsentinel.http.OutboundHttp;
import org.mispsentinel.http.ProxySettings;
import org.mispsentinel.http.TlsContexts;
import org.mispsentinel.misp.MispClient;
import org.mispsentinel.misp.MispProbe;
import org.mispsentinel.sentinel.BearerToken;
import org.mispsentinel.sentinel.MsalTokenProvider;
import org.mispsentinel.sentinel.SentinelIdentity;
import org.mispsentinel.sentinel.TokenProvider;
import org.mispsentinel.state.SharedStateView;

/**
 * {@code --check}: whether the settings will work, without delivering anything. MISP answers and
 * takes the key, what its filters match now, and for each workspace a token for its app, its
 * permission to upload and its state directory: one line a check, exit 0 only when all passed.
 *
 * <p>Everything a setting can make fail (trust store, certificates, authority) is built before the
 * first line, so that a setting that does not load ends the check at once, as it ends a run (exit 2).
 */
final class Check {

    private Check() {
    }

    static int run(SettingsSources sources, Properties commandLine, PrintStream out) throws Exception {
        try (MainProperties properties = new MainProperties(sources, commandLine)) {
            return run(properties.lookup(), properties.context(), out, Clock.systemUTC());
        }
    }

    private static int run(PropertyLookup lookup, org.apache.camel.CamelContext context, PrintStream out,
                           Clock clock) {
        Settings settings = Settings.load(lookup);
        SettingsReader root = new SettingsReader(lookup);
        ProxySettings proxy = ProxySettings.load(root);
        SSLContext ssl = TlsContexts.create(settings.tls());
        boolean ownKeys = !root.list("workspaces").isEmpty();
        // one provider per app registration: workspaces under one identity share its token, as in a run
        Map<String, SentinelIdentity> identities = SentinelIdentity.of(settings.workspaces(),
                workspace -> new MsalTokenProvider(workspace.azure(), ssl, proxy, clock));
        List<WorkspaceCheck> workspaces = new ArrayList<>();
        for (Settings.Workspace workspace : settings.workspaces()) {
            TokenProvider provider = identities.get(workspace.identity()).tokens();
            workspaces.add(new WorkspaceCheck(workspace, ownKeys ? root.forWorkspace(workspace.name()) : root, provider,
                    () -> (CloseableHttpClient) OutboundHttp.client(ssl, settings.tls().insecure(),
                            workspace.sentinel().timeout(), new BearerToken(provider), proxy), clock));
        }
        CloseableHttpClient mispHttp = (CloseableHttpClient) MispClient.create(settings.misp(), settings.tls(), ssl, proxy);
        try {
            CheckReport report = new CheckReport(out);
            new MispCheck(settings.misp(), new MispProbe(settings.misp().url(), mispHttp), clock).run(report);
            settings.state().shared().ifPresent(shared -> report.run("state database", () -> {
                try (SharedStateView view = SharedStateView.open(shared)) {
                    return view.check(settings.workspaces().stream().map(Settings.Workspace::name).toList());
                }
            }));
            ClusterCheck.of(context).ifPresent(cluster -> report.run("cluster", () -> cluster.run(context,
                    root.optional("state.instance-id").orElseGet(Settings::defaultInstanceId),
                    ClusterCheck.view(settings))));
            workspaces.forEach(workspace -> workspace.run(report));
            return report.finish();
        } finally {
            mispHttp.close(CloseMode.GRACEFUL);
        }
    }
}
