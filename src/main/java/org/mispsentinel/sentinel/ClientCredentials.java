package org.mispsentinel.sentinel;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.IClientCredential;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.mispsentinel.config.ConfigurationException;
import org.mispsentinel.config.Settings;

/**
 * The app's credential: its secret, a certificate from a PKCS#12 file or a PEM file holding the
 * certificate chain and an unencrypted PKCS#8 private key ("BEGIN PRIVATE KEY"), or the federated
 * token file, read again whenever msal4j asks for an assertion.
 */
final class ClientCredentials {

    private static final String KEY_SETTING = "azure.client-certificate-path";

    private ClientCredentials() {
    }

    static IClientCredential from(Settings.Azure azure) {
        if (azure.clientSecret().isPresent()) {
            return ClientCredentialFactory.createFromSecret(azure.clientSecret().get().reveal());
        }
        if (azure.federatedTokenFile().isPresent()) {
            Path file = azure.federatedTokenFile().get();
            return ClientCredentialFactory.createFromCallback(() -> FederatedToken.read(file));
        }
        Path path = azure.certificatePath().orElseThrow();
        String password = azure.certificatePassword().map(s -> s.reveal()).orElse("");
        try {
            byte[] bytes = Files.readAllBytes(path);
            String text = new String(bytes, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN")) {
                return fromPem(text);
            }
            try (InputStream in = new ByteArrayInputStream(bytes)) {
                return ClientCredentialFactory.createFromCertificate(in, password);
            }
        } catch (ConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigurationException(KEY_SETTING, "cannot be read as a PKCS#12 or PEM certificate with "
                    + "its private key (" + e.getClass().getSimpleName() + "; check azure.client-certificate-password)");
        }
    }

    private static IClientCredential fromPem(String pem) throws Exception {
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");
        for (String block : blocks(pem, "CERTIFICATE")) {
            chain.add((X509Certificate) certificates.generateCertificate(new ByteArrayInputStream(block.getBytes(StandardCharsets.US_ASCII))));
        }
        List<String> keys = blocks(pem, "PRIVATE KEY");
        if (chain.isEmpty() || keys.isEmpty()) {
            throw new ConfigurationException(KEY_SETTING, "PEM file needs a CERTIFICATE and an unencrypted "
                    + "PRIVATE KEY (PKCS#8) block; convert RSA PRIVATE KEY with 'openssl pkcs8 -topk8 -nocrypt'");
        }
        byte[] der = Base64.getMimeDecoder().decode(body(keys.get(0)));
        PrivateKey key = KeyFactory.getInstance(chain.get(0).getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(der));
        return ClientCredentialFactory.createFromCertificateChain(key, chain);
    }

    private static List<String> blocks(String pem, String label) throws IOException {
        List<String> out = new ArrayList<>();
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = 0;
        while (true) {
            int b = pem.indexOf(begin, from);
            if (b < 0) {
                return out;
            }
            int e = pem.indexOf(end, b);
            if (e < 0) {
                throw new IOException("unterminated PEM block");
            }
            out.add(pem.substring(b, e + end.length()));
            from = e + end.length();
        }
    }

    private static String body(String block) {
        return block.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }
}
