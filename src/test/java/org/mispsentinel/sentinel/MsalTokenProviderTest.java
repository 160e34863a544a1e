package org.mispsentinel.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mispsentinel.config.Credential;
import org.mispsentinel.config.Redaction;
import org.mispsentinel.config.Secret;
import org.mispsentinel.config.Settings;
import org.mispsentinel.http.ProxySettings;
import org.mispsentinel.standin.AdjustableClock;
import org.mispsentinel.standin.EntraFault;
import org.mispsentinel.standin.EntraStandIn;
import org.mispsentinel.standin.StandInTls;

class MsalTokenProviderTest {

    private static final String CLIENT = "11111111-2222-3333-4444-555555555555";
    private static final String SECRET = "s3cret-value-for-test";

    private final AdjustableClock clock = AdjustableClock.startingNow();
    private EntraStandIn entra;

    @AfterEach
    void stop() {
        if (entra != null) {
            entra.close();
        }
    }

    private MsalTokenProvider provider(Duration lifetime, String secret) {
        entra = EntraStandIn.builder().client(CLIENT, SECRET).expiresIn(lifetime).start();
        Settings.Azure azure = new Settings.Azure(Credential.SECRET, entra.baseUrl(), entra.tenantId(), CLIENT,
                Optional.of(Secret.of(secret)), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                "https://management.azure.com/.default", Duration.ofSeconds(300), Duration.ofSeconds(10));
        return new MsalTokenProvider(azure, StandInTls.clientContext(), ProxySettings.none(), clock);
    }

    @Test
    void tokenIsReusedUntilTheRefreshMarginBeforeExpiry() {
        MsalTokenProvider tokens = provider(Duration.ofSeconds(3599), SECRET);

        String first = tokens.accessToken();
        clock.advance(Duration.ofSeconds(3000));
        String stillFirst = tokens.accessToken();
        clock.advance(Duration.ofSeconds(400));
        String renewed = tokens.accessToken();

        assertThat(stillFirst).isEqualTo(first);
        assertThat(renewed).isNotEqualTo(first);
        assertThat(entra.tokenRequests()).isEqualTo(2);
        assertThat(tokens.tokensAcquired()).isEqualTo(2);
    }

    @Test
    void tokenShorterLivedThanTheMarginIsRenewedAtHalfItsLifeNotOnEveryCall() {
        MsalTokenProvider tokens = provider(Duration.ofSeconds(120), SECRET);

        tokens.accessToken();
        clock.advance(Duration.ofSeconds(50));
        tokens.accessToken();
        tokens.accessToken();
        clock.advance(Duration.ofSeconds(20));
        tokens.accessToken();

        assertThat(entra.tokenRequests()).isEqualTo(2);
    }

    @Test
    void secretsAndTheCurrentTokenAreStillMaskedAfterAThousandRenewals() {
        Secret mispKey = Secret.of("misp-key-for-a-year-long-run");
        MsalTokenProvider tokens = provider(Duration.ofSeconds(3599), SECRET);
        String token = null;
        for (int hour = 0; hour < 1000; hour++) {
            token = tokens.accessToken();
            clock.advance(Duration.ofHours(1));
        }

        String line = Redaction.apply("key=" + mispKey.reveal() + " secret=" + SECRET + " token=" + token);

        assertThat(tokens.tokensAcquired()).isEqualTo(1000);
        assertThat(line).isEqualTo("key=**** secret=**** token=****");
    }

    @Test
    void invalidatedTokenIsReplacedOnNextUse() {
        MsalTokenProvider tokens = provider(Duration.ofSeconds(3599), SECRET);
        String first = tokens.accessToken();

        tokens.invalidate();

        assertThat(tokens.accessToken()).isNotEqualTo(first);
    }

    @Test
    void wrongSecretIsAccessDeniedNamingTheSettingsButNotTheSecret() {
        MsalTokenProvider tokens = provider(Duration.ofSeconds(3599), "the-wrong-secret");

        assertThatThrownBy(tokens::accessToken)
                .isInstanceOf(SentinelAccessDeniedException.class)
                .hasMessageContaining("azure.client-secret")
                .hasMessageContaining("AADSTS7000215")
                .hasMessageNotContaining("the-wrong-secret");
    }

    @Test
    void unavailableTokenEndpointIsATransientFailure() {
        MsalTokenProvider tokens = provider(Duration.ofSeconds(3599), SECRET);
        entra.enqueue(EntraFault.unavailable());

        assertThatThrownBy(tokens::accessToken).isInstanceOf(SentinelUnavailableException.class);
        assertThat(tokens.accessToken()).isNotBlank();
    }

    @Test
    void managedIdentityEndpointThatIsNotThereIsSaidInTheProductsWords() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        com.microsoft.aad.msal4j.ManagedIdentityEnvironment.use(java.util.Map.of(
                "IDENTITY_ENDPOINT", "http://127.0.0.1:" + closedPort + "/msi/token", "IDENTITY_HEADER", "h"));
        try {
            Settings.Azure azure = new Settings.Azure(Credential.MANAGED_IDENTITY, "https://login.invalid", "",
                    Settings.SYSTEM_ASSIGNED, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), "https://management.azure.com/.default", Duration.ofSeconds(300), Duration.ofSeconds(5));
            MsalTokenProvider tokens = new MsalTokenProvider(azure, StandInTls.clientContext(), ProxySettings.none(), clock);

            assertThatThrownBy(tokens::accessToken).isInstanceOf(SentinelUnavailableException.class)
                    .hasMessageStartingWith("the managed identity endpoint could not be reached")
                    .hasMessageContaining("azure.credential");
        } finally {
            com.microsoft.aad.msal4j.ManagedIdentityEnvironment.reset();
        }
    }

    @Test
    void federatedTokenFileThatIsGoneIsNamedWithoutItsContent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws Exception {
        entra = EntraStandIn.builder().client(CLIENT, SECRET).start();
        java.nio.file.Path file = java.nio.file.Files.writeString(temp.resolve("azure-identity-token"), "aaaa.bbbb.cccc");
        Settings.Azure azure = new Settings.Azure(Credential.WORKLOAD_IDENTITY, entra.baseUrl(), entra.tenantId(), CLIENT,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(file), Optional.empty(),
                "https://management.azure.com/.default", Duration.ofSeconds(300), Duration.ofSeconds(10));
        MsalTokenProvider tokens = new MsalTokenProvider(azure, StandInTls.clientContext(), ProxySettings.none(), clock);
        java.nio.file.Files.delete(file);

        assertThatThrownBy(tokens::accessToken).isInstanceOf(SentinelUnavailableException.class)
                .hasMessageContaining("the federated token file " + file + " cannot be read")
                .hasMessageContaining("azure.federated-token-file (AZURE_FEDERATED_TOKEN_FILE)");
        assertThat(entra.tokenRequests()).as("nothing sent without an assertion").isZero();
    }
}
