package org.mispsentinel;

import java.io.Closeable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.HttpClient;
import org.mispsentinel.config.Settings;
import org.mispsentinel.delivery.BatchSettlement;
import org.mispsentinel.delivery.Checkpoint;
import org.mispsentinel.delivery.DeadLetters;
import org.mispsentinel.delivery.DeliveryLedger;
import org.mispsentinel.delivery.DryRunOutput;
import org.mispsentinel.delivery.MappingStep;
import org.mispsentinel.delivery.StateStore;
import org.mispsentinel.delivery.SyncCycle;
import org.mispsentinel.delivery.RetryBudget;
import org.mispsentinel.delivery.UploadQueue;
import org.mispsentinel.http.OutboundHttp;
import org.mispsentinel.http.ProxySettings;
import org.mispsentinel.http.TlsContexts;
import org.mispsentinel.misp.MispApiKey;
import org.mispsentinel.misp.MispPageReader;
import org.mispsentinel.misp.MispQuery;
import org.mispsentinel.sentinel.BearerToken;
import org.mispsentinel.sentinel.MsalTokenProvider;
import org.mispsentinel.sentinel.SentinelAccessDeniedException;
import org.mispsentinel.sentinel.SentinelRequest;
import org.mispsentinel.sentinel.SentinelResponse;
import org.mispsentinel.sentinel.TokenProvider;
import org.mispsentinel.stix.StixMapper;
import org.mispsentinel.stix.ThreatContext;

/**
 * Creates the beans the routes refer to by name, from validated settings. Runtime-neutral: the
 * camel-main launcher and an OSGi activator both hand it their registry.
 */
public final class MispSentinelBeans implements AutoCloseable {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final SyncCycle cycle;
    private final TokenProvider tokens;
    private final DeadLetters deadLetters;

    public MispSentinelBeans(Settings settings, ProxySettings proxy, DryRunOutput dryRunOutput, Clock clock,
                             BiConsumer<String, Object> registry) {
        SSLContext ssl = TlsContexts.create(settings.tls());
        boolean insecure = settings.tls().insecure();

        StateStore store = StateStore.open(settings.state().dir());
        resources.add(store);
        DeliveryLedger ledger = new DeliveryLedger(store, settings.state().dedupCapacity());
        this.deadLetters = new DeadLetters(settings.state().dir());
        Settings.Misp misp = settings.misp();
        UploadQueue uploads = new UploadQueue(settings.sentinel().queuedBatches());
        resources.add(() -> {
            uploads.shutdown();
            uploads.awaitTermination(settings.sentinel().timeout().toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        });
        this.cycle = new SyncCycle(new MispQuery(misp), new Checkpoint(store), ledger, uploads, misp.pageSize(),
                misp.lookbackDays(), settings.dryRun(), clock);

        this.tokens = settings.azure() == null ? new NoTokens()
                : new MsalTokenProvider(settings.azure(), ssl, proxy, clock);
        Settings.Sentinel sentinel = settings.sentinel();
        String clientId = settings.azure() == null ? "(none)" : settings.azure().clientId();

        SSLContext mispSsl = misp.clientCertificate().isEmpty() ? ssl : TlsContexts.create(settings.tls(),
                TlsContexts.clientKeys(misp.clientCertificate(), misp.clientCertificatePassword(),
                        "misp.client-certificate-path"));
        HttpClient mispHttp = OutboundHttp.client(mispSsl, insecure, misp.timeout(), new MispApiKey(misp.apiKey()), proxy);
        HttpClient sentinelHttp = OutboundHttp.client(ssl, insecure, sentinel.timeout(), new BearerToken(tokens), proxy);
        resources.add((Closeable) mispHttp);
        resources.add((Closeable) sentinelHttp);

        registry.accept("mispHttpClient", mispHttp);
        registry.accept("sentinelHttpClient", sentinelHttp);
        registry.accept("mispPageReader", new MispPageReader());
        registry.accept("syncCycle", cycle);
        registry.accept("deliveryLedger", ledger);
        registry.accept("deadLetters", deadLetters);
        registry.accept("mappingStep", new MappingStep(new StixMapper(settings.mapping().toBuilder().clock(clock).build()), ledger, cycle,
                sentinel.stixObjectsApi() ? new ThreatContext() : null));
        registry.accept("batchSettlement", new BatchSettlement(ledger, deadLetters, cycle));
        registry.accept("sentinelRequest", new SentinelRequest(sentinel));
        registry.accept("sentinelResponse", new SentinelResponse(tokens, clientId, sentinel.workspaceId(),
                sentinel.defaultRetryAfter(), clock));
        registry.accept("dryRunOutput", dryRunOutput);
        registry.accept("uploadQueue", uploads);
        registry.accept("retryBudget", new RetryBudget(sentinel.maxRetries(), sentinel.maxThrottledRetries()));
    }

    public SyncCycle cycle() {
        return cycle;
    }

    public TokenProvider tokens() {
        return tokens;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    public void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** A dry run without Azure settings: uploading is impossible, so asking for a token is a bug. */
    private static final class NoTokens implements TokenProvider {
        @Override
        public String accessToken() {
            throw new SentinelAccessDeniedException("no Azure settings: uploads are not possible in this run");
        }

        @Override
        public void invalidate() {
        }

        @Override
        public long tokensAcquired() {
            return 0;
        }
    }
}
