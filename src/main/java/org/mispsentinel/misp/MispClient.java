package org.mispsentinel.misp;

import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.HttpClient;
import org.mispsentinel.config.Settings;
import org.mispsentinel.http.OutboundHttp;
import org.mispsentinel.http.ProxySettings;
import org.mispsentinel.http.TlsContexts;

/** The HTTP client MISP is asked through: its key, its TLS (with the client certificate of a mutual-TLS MISP), the proxy. */
public final class MispClient {

    private MispClient() {
    }

    /** @param ssl the context of every other call, used as it is when MISP wants no client certificate */
    public static HttpClient create(Settings.Misp misp, Settings.Tls tls, SSLContext ssl, ProxySettings proxy) {
        SSLContext mispSsl = misp.clientCertificate().isEmpty() ? ssl : TlsContexts.create(tls,
                TlsContexts.clientKeys(misp.clientCertificate(), misp.clientCertificatePassword(),
                        "misp.client-certificate-path"));
        return OutboundHttp.client(mispSsl, tls.insecure(), misp.timeout(), new MispApiKey(misp.apiKey()), proxy);
    }
}
