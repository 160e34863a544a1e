package org.mispsentinel.http;

import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/** Turns a failed TLS handshake into a message that says which setting to look at. */
public final class TlsFailure {

    private TlsFailure() {
    }

    /** Guidance when {@code failure} is, or is caused by, a failed TLS handshake. */
    public static Optional<String> explain(Throwable failure, String server) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                String detail = String.valueOf(t.getMessage());
                if (detail.contains("PKIX") || detail.contains("certification path")) {
                    return Optional.of(server + "'s TLS certificate is not trusted: add its CA to tls.trust-store "
                            + "(TLS_TRUST_STORE) or to the JVM trust store (" + detail + ")");
                }
                return Optional.of("TLS handshake with " + server + " failed (" + detail + "): check the URL, "
                        + "tls.trust-store and, for MISP, misp.client-certificate-path");
            }
        }
        return Optional.empty();
    }
}
