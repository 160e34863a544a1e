package org.mispsentinel.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Camel's management server (/observe/...) of the application under test, switched on the way an
 * operator does it (camel.management.*), on a free loopback port.
 */
final class ManagementServer {

    record Answer(int status, String body) {
    }

    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private ManagementServer(int port) {
        this.port = port;
    }

    static ManagementServer enable(SyncHarness h) {
        int port = freeLoopbackPort();
        h.set("camel.management.enabled", "true")
                .set("camel.management.host", "127.0.0.1")
                .set("camel.management.port", Integer.toString(port))
                .set("camel.management.metricsEnabled", "true")
                .set("camel.management.healthCheckEnabled", "true");
        return new ManagementServer(port);
    }

    Answer get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
