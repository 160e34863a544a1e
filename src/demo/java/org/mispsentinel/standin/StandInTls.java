package org.mispsentinel.standin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material of the stand-ins. The key is public (it ships in the jar), so it is only ever trusted
 * by code that names the stand-in trust store explicitly: demo mode, tests and benchmarks.
 */
public final class StandInTls {

    public static final String KEY_STORE_RESOURCE = "/standin/standin-keystore.p12";
    public static final String TRUST_STORE_RESOURCE = "/standin/standin-truststore.p12";
    public static final String TRUST_STORE_FILE_NAME = "standin-truststore.p12";
    public static final String TRUST_STORE_PASSWORD = "standin";
    public static final String TRUST_STORE_TYPE = "PKCS12";
    static final String KEY_STORE_PASSWORD = "standin";

    private static volatile SSLContext serverContext;
    private static volatile SSLContext clientContext;

    private StandInTls() {
    }

    /** One context for all servers: building it parses the key store, which costs tens of ms. */
    public static SSLContext serverContext() {
        SSLContext context = serverContext;
        if (context == null) {
            synchronized (StandInTls.class) {
                if (serverContext == null) {
                    serverContext = buildServerContext();
                }
                context = serverContext;
            }
        }
        return context;
    }

    /** A client context that trusts the stand-in certificate and nothing else. */
    public static SSLContext clientContext() {
        SSLContext context = clientContext;
        if (context == null) {
            synchronized (StandInTls.class) {
                if (clientContext == null) {
                    clientContext = buildClientContext();
                }
                context = clientContext;
            }
        }
        return context;
    }

    /**
     * The product reads its trust store from a file (like a real deployment would), so the copy
     * inside the jar has to be written out first.
     */
    public static Path writeTrustStore(Path dir) {
        try (InputStream in = resource(TRUST_STORE_RESOURCE)) {
            Files.createDirectories(dir);
            Path target = dir.resolve(TRUST_STORE_FILE_NAME);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stand-in trust store to " + dir, e);
        }
    }

    /**
     * For a server that asks for client certificates: it trusts the stand-in certificate, so a
     * client can prove itself with the stand-in key store ({@link #writeKeyStore}).
     */
    static SSLContext mutualServerContext() {
        return context(true, true);
    }

    /** The stand-in key pair as a client certificate, for tests of mutual TLS. */
    public static Path writeKeyStore(Path dir) {
        try (InputStream in = resource(KEY_STORE_RESOURCE)) {
            Files.createDirectories(dir);
            Path target = dir.resolve("standin-client.p12");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stand-in key store to " + dir, e);
        }
    }

    private static SSLContext buildServerContext() {
        return context(true, false);
    }

    private static SSLContext buildClientContext() {
        return context(false, true);
    }

    private static SSLContext context(boolean withKey, boolean withTrust) {
        try {
            KeyManagerFactory kmf = null;
            if (withKey) {
                try (InputStream in = resource(KEY_STORE_RESOURCE)) {
                    KeyStore keyStore = KeyStore.getInstance("PKCS12");
                    keyStore.load(in, KEY_STORE_PASSWORD.toCharArray());
                    kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    kmf.init(keyStore, KEY_STORE_PASSWORD.toCharArray());
                }
            }
            TrustManagerFactory tmf = null;
            if (withTrust) {
                try (InputStream in = resource(TRUST_STORE_RESOURCE)) {
                    KeyStore trustStore = KeyStore.getInstance(TRUST_STORE_TYPE);
                    trustStore.load(in, TRUST_STORE_PASSWORD.toCharArray());
                    tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(trustStore);
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the stand-in key material", e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = StandInTls.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing class-path resource " + name);
        }
        return in;
    }
}
