package org.mispsentinel.http;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.HttpClient;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the HttpClient that camel-http uses for one remote system. Timeouts are set on every
 * phase (HttpClient has no response timeout by default), automatic retries are off so that the
 * routes' redelivery policies are the only place a request is repeated, and credentials are added
 * by an interceptor so that they never travel in Camel message headers, where error logs and
 * tracers could print them.
 */
public final class OutboundHttp {

    private OutboundHttp() {
    }

    public static HttpClient client(SSLContext ssl, boolean insecure, Duration timeout,
                                    HttpRequestInterceptor credentials, ProxySettings proxy) {
        Timeout t = Timeout.of(timeout);
        ClientTlsStrategyBuilder tls = ClientTlsStrategyBuilder.create().setSslContext(ssl);
        if (insecure) {
            tls.setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
        }
        HttpClientBuilder builder = HttpClientBuilder.create()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(tls.buildClassic())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(t).setSocketTimeout(t)
                                // a connection idle through a throttling wait may have been closed
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2)).build())
                        .setMaxConnTotal(4)
                        .setMaxConnPerRoute(4)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(t).setResponseTimeout(t).build())
                .disableAutomaticRetries()
                // a server that refused a request (429, 5xx) may close the connection without saying so
                .setConnectionReuseStrategy((request, response, context) -> response.getCode() < 400
                        && DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context))
                .disableRedirectHandling()
                .disableCookieManagement()
                .addRequestInterceptorLast(credentials);
        proxy.routePlanner().ifPresent(builder::setRoutePlanner);
        return builder.build();
    }
}
