package org.mispsentinel.http;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hc.client5.http.impl.routing.DefaultProxyRoutePlanner;
import org.apache.hc.client5.http.routing.HttpRoutePlanner;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.mispsentinel.config.ConfigurationException;
import org.mispsentinel.config.SettingsReader;

/**
 * The outbound proxy, from {@code https.proxy} / {@code no.proxy} (that is, the conventional
 * {@code HTTPS_PROXY} and {@code NO_PROXY} environment variables). NO_PROXY entries match a host
 * exactly or as a domain suffix ({@code .example.org} or {@code example.org}); {@code *} disables
 * the proxy.
 */
public record ProxySettings(Optional<URI> proxy, List<String> noProxy) {

    public static ProxySettings none() {
        return new ProxySettings(Optional.empty(), List.of());
    }

    public static ProxySettings load(SettingsReader r) {
        Optional<URI> proxy = r.optional("https.proxy").map(value -> {
            URI uri = parse(value.contains("://") ? value : "http://" + value);
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new ConfigurationException("https.proxy", "must be host:port or http://host:port");
            }
            if (uri.getUserInfo() != null) {
                throw new ConfigurationException("https.proxy", "proxy credentials in the URL are not supported");
            }
            return uri;
        });
        List<String> noProxy = r.list("no.proxy").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        return new ProxySettings(proxy, noProxy);
    }

    /** The value may hold a password, and URI's own message quotes the whole value: only the key is named. */
    private static URI parse(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigurationException("https.proxy", "is not a valid URL (" + e.getReason()
                    + "); the value is not shown, as it may hold credentials");
        }
    }

    public boolean bypass(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            String suffix = entry.startsWith(".") ? entry : "." + entry;
            if (h.equals(entry.startsWith(".") ? entry.substring(1) : entry) || h.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** For clients that take a {@link java.net.Proxy} (msal4j). */
    public Proxy javaProxyFor(String host) {
        if (proxy.isEmpty() || bypass(host)) {
            return Proxy.NO_PROXY;
        }
        return new Proxy(Proxy.Type.HTTP, new InetSocketAddress(proxy.get().getHost(), proxy.get().getPort()));
    }

    Optional<HttpRoutePlanner> routePlanner() {
        return proxy.map(uri -> new DefaultProxyRoutePlanner(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort())) {
            @Override
            protected HttpHost determineProxy(HttpHost target, HttpContext context) throws org.apache.hc.core5.http.HttpException {
                return bypass(target.getHostName()) ? null : super.determineProxy(target, context);
            }
        });
    }
}
