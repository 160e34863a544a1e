package org.mispsentinel.http;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.mispsentinel.config.ConfigurationException;
import org.mispsentinel.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one SSLContext every outbound call (MISP, Entra ID, Sentinel) uses. */
public final class TlsContexts {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    public static SSLContext create(Settings.Tls tls) {
        return create(tls, null);
    }

    /** With {@code clientKeys}: the context also presents that client certificate (mutual TLS). */
    public static SSLContext create(Settings.Tls tls, KeyManager[] clientKeys) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (tls.insecure()) {
                LOG.warn("TLS CERTIFICATE VERIFICATION IS OFF (tls.insecure=true): any server can impersonate "
                        + "MISP, Entra ID or Sentinel and read the API keys and tokens sent to it");
                context.init(clientKeys, new TrustManager[] {new TrustEverything()}, null);
            } else if (tls.trustStore().isPresent()) {
                context.init(clientKeys, trustManagers(tls), null);
            } else {
                context.init(clientKeys, null, null);
            }
            return context;
        } catch (ConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigurationException("tls.trust-store", "cannot be used: " + e.getClass().getSimpleName());
        }
    }

    /** The key managers of a PKCS#12 client certificate, or null when {@code path} is empty. */
    public static KeyManager[] clientKeys(java.util.Optional<java.nio.file.Path> path,
                                          java.util.Optional<org.mispsentinel.config.Secret> password, String setting) {
        if (path.isEmpty()) {
            return null;
        }
        char[] secret = password.map(org.mispsentinel.config.Secret::revealChars).orElse(new char[0]);
        try (InputStream in = Files.newInputStream(path.get())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, secret);
            return factory.getKeyManagers();
        } catch (Exception e) {
            throw new ConfigurationException(setting, "cannot be read as a PKCS#12 key store with its password ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static TrustManager[] trustManagers(Settings.Tls tls) throws Exception {
        KeyStore store = KeyStore.getInstance(tls.trustStoreType());
        char[] password = tls.trustStorePassword().map(s -> s.revealChars()).orElse(null);
        try (InputStream in = Files.newInputStream(tls.trustStore().orElseThrow())) {
            store.load(in, password);
        } catch (java.io.IOException e) {
            throw new ConfigurationException("tls.trust-store",
                    "cannot be read as " + tls.trustStoreType() + " (wrong type or tls.trust-store-password)");
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
