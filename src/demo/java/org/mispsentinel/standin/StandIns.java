package org.mispsentinel.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * MISP, Entra ID and Sentinel stand-ins started together, sharing one token registry, with the
 * credentials that open them. What {@code --demo}, the end-to-end tests and the benchmarks run against.
 */
public final class StandIns implements AutoCloseable {

    /** Everything the product needs to be configured against the stand-ins. */
    public record Credentials(String tenantId, String clientId, String clientSecret, String workspaceId,
                              String mispApiKey) {

        public static Credentials random() {
            SecureRandom random = new SecureRandom();
            byte[] secret = new byte[30];
            random.nextBytes(secret);
            byte[] key = new byte[30];
            random.nextBytes(key);
            return new Credentials(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(secret), UUID.randomUUID().toString(),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(key).replace('-', 'x').replace('_', 'y'));
        }

        /** Another app registration of the same tenant, with a workspace of its own, reading the same MISP. */
        public Credentials anotherApp() {
            Credentials other = random();
            return new Credentials(tenantId, other.clientId(), other.clientSecret(), other.workspaceId(), mispApiKey);
        }

        @Override
        public String toString() {
            // Demo secrets only, but the habit of not printing secrets should hold everywhere.
            return "Credentials[tenantId=" + tenantId + ", clientId=" + clientId + ", workspaceId=" + workspaceId + "]";
        }
    }

    private final Credentials credentials;
    private final List<Credentials> otherApps;
    private final TokenRegistry tokens;
    private final MispStandIn misp;
    private final EntraStandIn entra;
    private final SentinelStandIn sentinel;

    private StandIns(Builder builder) {
        this.credentials = builder.credentials != null ? builder.credentials : Credentials.random();
        this.otherApps = java.util.stream.Stream.generate(credentials::anotherApp).limit(builder.otherApps).toList();
        this.tokens = new TokenRegistry(builder.clock);
        MispStandIn startedMisp = null;
        EntraStandIn startedEntra = null;
        try {
            startedMisp = new MispStandIn(credentials.mispApiKey(), builder.dataset, builder.clock,
                    builder.mispClientCertificate);
            EntraStandIn.Builder entraBuilder = EntraStandIn.builder()
                    .tenantId(credentials.tenantId())
                    .client(credentials.clientId(), credentials.clientSecret())
                    .tokens(tokens)
                    .expiresIn(builder.tokenLifetime);
            // each app holds the Microsoft Sentinel Contributor role on its own workspace only
            SentinelStandIn.Builder sentinelBuilder = SentinelStandIn.builder()
                    .workspace(credentials.workspaceId(), credentials.clientId());
            for (Credentials app : otherApps) {
                entraBuilder.client(app.clientId(), app.clientSecret());
                sentinelBuilder.workspace(app.workspaceId(), app.clientId());
            }
            startedEntra = entraBuilder.start();
            this.sentinel = sentinelBuilder
                    .tokens(tokens)
                    .clock(builder.clock)
                    .rateLimit(builder.rateLimit, builder.rateWindow)
                    .retryAfter(builder.retryAfterMode)
                    .keepContent(builder.keepContent)
                    .answerBeforeReadingBody(builder.answerBeforeReadingBody)
                    .start();
        } catch (RuntimeException e) {
            if (startedEntra != null) {
                startedEntra.close();
            }
            if (startedMisp != null) {
                startedMisp.close();
            }
            throw e;
        }
        this.misp = startedMisp;
        this.entra = startedEntra;
    }

    public static StandIns start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public MispStandIn misp() {
        return misp;
    }

    public EntraStandIn entra() {
        return entra;
    }

    public SentinelStandIn sentinel() {
        return sentinel;
    }

    public TokenRegistry tokens() {
        return tokens;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** The further app registrations {@link Builder#otherApps} asked for, each with its own workspace. */
    public List<Credentials> otherApps() {
        return otherApps;
    }

    /** The product's settings for these stand-ins, in the keys of its configuration file. */
    public Properties properties(Path trustStore) {
        Properties properties = new Properties();
        properties.setProperty("misp.url", misp.baseUrl());
        properties.setProperty("misp.api-key", credentials.mispApiKey());
        properties.setProperty("azure.authority-host", entra.baseUrl());
        properties.setProperty("azure.tenant-id", credentials.tenantId());
        properties.setProperty("azure.client-id", credentials.clientId());
        properties.setProperty("azure.client-secret", credentials.clientSecret());
        properties.setProperty("sentinel.api-host", sentinel.apiHost());
        properties.setProperty("sentinel.workspace-id", credentials.workspaceId());
        properties.setProperty("tls.trust-store", trustStore.toAbsolutePath().toString());
        properties.setProperty("tls.trust-store-password", StandInTls.TRUST_STORE_PASSWORD);
        return properties;
    }

    /**
     * The settings of one workspace per app registration ({@link Builder#otherApps} and the first),
     * named {@code ws1} (the first app's) to {@code wsN}, each under its own app: what a provider
     * feeding its customers' workspaces configures (configuration.md, {@code workspaces}).
     */
    public Properties workspacePerAppProperties() {
        Properties properties = new Properties();
        List<Credentials> apps = new java.util.ArrayList<>();
        apps.add(credentials);
        apps.addAll(otherApps);
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < apps.size(); i++) {
            String name = "ws" + (i + 1);
            names.add(name);
            Credentials app = apps.get(i);
            properties.setProperty("workspace." + name + ".azure.client-id", app.clientId());
            properties.setProperty("workspace." + name + ".azure.client-secret", app.clientSecret());
            properties.setProperty("workspace." + name + ".sentinel.workspace-id", app.workspaceId());
        }
        properties.setProperty("workspaces", String.join(",", names));
        return properties;
    }

    /** Writes the trust store beside {@code file}, then the properties naming it. @return {@code file} */
    public Path writeProperties(Path file) {
        return writeProperties(file, new Properties());
    }

    /** As {@link #writeProperties(Path)}, with {@code more} settings beside the stand-ins' own. */
    public Path writeProperties(Path file, Properties more) {
        Path dir = file.toAbsolutePath().getParent();
        Path trustStore = StandInTls.writeTrustStore(dir);
        Path partial = dir.resolve(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(partial)) {
            Properties all = properties(trustStore);
            all.putAll(more);
            all.store(out, "misp-sentinel stand-ins (demo credentials, loopback only)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        try {
            // A reader polling for the file must never see it half written.
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    @Override
    public void close() {
        sentinel.close();
        entra.close();
        misp.close();
    }

    public static final class Builder {
        private Credentials credentials;
        private boolean mispClientCertificate;
        private MispDataset dataset = new InMemoryMispDataset();
        private Clock clock = Clock.systemUTC();
        private int rateLimit;
        private Duration rateWindow = Duration.ofSeconds(60);
        private RetryAfterMode retryAfterMode = RetryAfterMode.HEADER;
        private Duration tokenLifetime = EntraStandIn.DEFAULT_EXPIRES_IN;
        private boolean keepContent = true;
        private boolean answerBeforeReadingBody;
        private int otherApps;

        private Builder() {
        }

        /** This many more app registrations in the tenant, each the only one with the role on a workspace of its own. */
        public Builder otherApps(int count) {
            this.otherApps = count;
            return this;
        }

        /** MISP asks for a client certificate (mutual TLS). */
        public Builder mispClientCertificate(boolean required) {
            this.mispClientCertificate = required;
            return this;
        }

        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder dataset(MispDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /** One clock for token expiry, rate-limit windows and relative MISP time filters. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder rateLimit(int requests, Duration window) {
            this.rateLimit = requests;
            this.rateWindow = window;
            return this;
        }

        public Builder retryAfter(RetryAfterMode mode) {
            this.retryAfterMode = mode;
            return this;
        }

        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = lifetime;
            return this;
        }

        public Builder keepContent(boolean keepContent) {
            this.keepContent = keepContent;
            return this;
        }

        /** See {@link SentinelStandIn.Builder#answerBeforeReadingBody}. */
        public Builder answerBeforeReadingBody(boolean value) {
            this.answerBeforeReadingBody = value;
            return this;
        }

        public StandIns start() {
            return new StandIns(this);
        }
    }
}
