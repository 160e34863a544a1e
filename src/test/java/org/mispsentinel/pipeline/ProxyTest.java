package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;

class ProxyTest {

    @TempDir
    Path temp;

    private static String hostPort(String url) {
        URI uri = URI.create(url);
        return uri.getHost() + ":" + uri.getPort();
    }

    @Test
    void everyCallGoesThroughTheConfiguredHttpsProxy() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp); ConnectProxy proxy = new ConnectProxy()) {
            Attributes.addMix(h.dataset, 20);
            h.set("https.proxy", "127.0.0.1:" + proxy.port());

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(proxy.targets()).contains(hostPort(h.standIns.misp().baseUrl()),
                    hostPort(h.standIns.entra().baseUrl()), hostPort(h.standIns.sentinel().baseUrl()));
        }
    }

    @Test
    void hostsListedInNoProxyAreReachedDirectly() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp); ConnectProxy proxy = new ConnectProxy()) {
            Attributes.addMix(h.dataset, 20);
            h.set("https.proxy", "http://127.0.0.1:" + proxy.port());
            h.set("no.proxy", "example.org, localhost");

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(proxy.targets()).isEmpty();
        }
    }
}
