package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.microsoft.aad.msal4j.ManagedIdentityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.AdjustableClock;
import org.mispsentinel.standin.ManagedIdentityStandIn;
import org.mispsentinel.standin.MispAttributes;

/**
 * The real application delivering with a credential that is no secret of its own: the managed
 * identity of the resource it runs on (against a stand-in of App Service's identity endpoint, which
 * msal4j finds from IDENTITY_ENDPOINT and IDENTITY_HEADER), and a federated token file (against
 * Entra's client-assertion grant with a federated identity credential).
 */
class CredentialsWithoutSecretsTest {

    @TempDir
    Path temp;

    private ManagedIdentityStandIn identityEndpoint;

    @AfterEach
    void stop() {
        ManagedIdentityEnvironment.reset();
        if (identityEndpoint != null) {
            identityEndpoint.close();
        }
    }

    /** What App Service announces to the process, here to msal4j only. */
    private void runOnAppService(SyncHarness h, Optional<String> systemAssigned) {
        identityEndpoint = new ManagedIdentityStandIn(h.standIns.tokens(), systemAssigned);
        ManagedIdentityEnvironment.use(Map.of("IDENTITY_ENDPOINT", identityEndpoint.endpoint(),
                "IDENTITY_HEADER", identityEndpoint.identityHeader()));
    }

    /** Settings without any app: no tenant, client id or secret. */
    private static void withoutApp(SyncHarness h) {
        h.unset("azure.client-secret").unset("azure.client-id").unset("azure.tenant-id");
    }

    @Test
    void systemAssignedManagedIdentityDeliversIndicators() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp);
             LogCapture logs = LogCapture.start().level("org.mispsentinel", Level.DEBUG)
                     .level("com.microsoft.aad.msal4j", Level.DEBUG)) {
            String identity = UUID.randomUUID().toString();
            runOnAppService(h, Optional.of(identity));
            h.standIns.sentinel().grantRole(h.standIns.credentials().workspaceId(), identity);
            withoutApp(h);
            h.set("azure.credential", "managed-identity");
            Attributes.addMix(h.dataset, 30);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.delivered()).isPositive();
            assertThat(h.standIns.sentinel().acceptedIds()).isNotEmpty();
            assertThat(identityEndpoint.requests()).singleElement().satisfies(query -> {
                assertThat(query).containsEntry("resource", "https://management.azure.com")
                        .containsEntry("api-version", "2019-08-01").doesNotContainKey("client_id");
            });
            assertThat(h.standIns.entra().tokenRequests()).isZero();
            // the platform's header guards its endpoint against request forgery: a secret of the host
            assertThat(logs.text()).doesNotContain(identityEndpoint.identityHeader());
        }
    }

    @Test
    void userAssignedManagedIdentityAsksForItsOwnClientId() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            String identity = UUID.randomUUID().toString();
            // the resource also has a system-assigned identity, which holds no role: it must not be the one used
            runOnAppService(h, Optional.of(UUID.randomUUID().toString()));
            identityEndpoint.assign(identity);
            h.standIns.sentinel().grantRole(h.standIns.credentials().workspaceId(), identity);
            withoutApp(h);
            h.set("azure.credential", "managed-identity").set("azure.managed-identity-client-id", identity);
            Attributes.addMix(h.dataset, 30);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.delivered()).isPositive();
            assertThat(identityEndpoint.requests()).singleElement()
                    .satisfies(query -> assertThat(query).containsEntry("client_id", identity));
        }
    }

    @Test
    void managedIdentityTheResourceDoesNotHaveIsNamedWithItsSetting() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            runOnAppService(h, Optional.empty());
            withoutApp(h);
            String unassigned = UUID.randomUUID().toString();
            h.set("azure.credential", "managed-identity").set("azure.managed-identity-client-id", unassigned);
            Attributes.addMix(h.dataset, 5);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.problems()).singleElement().asString()
                    .contains("the user-assigned managed identity " + unassigned)
                    .contains("azure.managed-identity-client-id")
                    .contains("No Managed Identity found")
                    .doesNotContain(identityEndpoint.identityHeader());
            assertThat(h.standIns.sentinel().acceptedIds()).isEmpty();
        }
    }

    @Test
    void federatedTokenFileDeliversAndIsReadAgainAfterTheKubeletRotatesIt() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        FederatedTokens issuer = new FederatedTokens();
        Path tokenFile = temp.resolve("azure-identity-token");
        String first = issuer.token(clock.instant().plus(Duration.ofMinutes(20)));
        FederatedTokens.write(tokenFile, first);
        try (SyncHarness h = SyncHarness.start(temp, b -> b.clock(clock));
             LogCapture logs = LogCapture.start().level("org.mispsentinel", Level.DEBUG)) {
            h.standIns.entra().federate(h.standIns.credentials().clientId(), FederatedTokens.ISSUER,
                    FederatedTokens.SUBJECT, issuer.publicKey());
            // no secret and no azure.credential: the token file alone chooses workload identity
            h.unset("azure.client-secret").set("azure.federated-token-file", tokenFile.toString());
            Attributes.addMix(h.dataset, 30);

            CycleReport before = h.runCycle();

            assertThat(before.exitCode()).isZero();
            assertThat(before.delivered()).isPositive();

            // the kubelet writes a new token before the old one expires; the old one then expires,
            // and so does the access token it bought
            String second = issuer.token(clock.instant().plus(Duration.ofMinutes(90)));
            FederatedTokens.write(tokenFile, second);
            clock.advance(Duration.ofMinutes(30));
            h.standIns.tokens().expireAll();
            h.dataset.add(MispAttributes.attribute("domain", "after-rotation.example.org").toIds(true)
                    .timestamp(Attributes.T0 + 10_000));

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).as("%s", after.problems()).isZero();
            assertThat(after.delivered()).isEqualTo(1);
            assertThat(h.standIns.entra().tokenRequests()).isEqualTo(2);
            assertThat(h.standIns.entra().tokenRequestForms()).allSatisfy(form -> assertThat(form)
                    .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                    .doesNotContainKey("client_secret"));
            assertThat(logs.text()).doesNotContain(first).doesNotContain(second);
        }
    }

    @Test
    void federatedTokenOfAnotherServiceAccountIsRefusedNamingTheSetting() throws Exception {
        FederatedTokens issuer = new FederatedTokens();
        Path tokenFile = temp.resolve("azure-identity-token");
        try (SyncHarness h = SyncHarness.start(temp)) {
            // the app trusts the issuer, but for another subject than the one in the token
            h.standIns.entra().federate(h.standIns.credentials().clientId(), FederatedTokens.ISSUER,
                    "system:serviceaccount:other:other", issuer.publicKey());
            FederatedTokens.write(tokenFile, issuer.token(java.time.Instant.now().plus(Duration.ofHours(1))));
            h.unset("azure.client-secret").set("azure.credential", "workload-identity")
                    .set("azure.federated-token-file", tokenFile.toString());
            Attributes.addMix(h.dataset, 5);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.problems()).singleElement().asString()
                    .contains("AADSTS70021").contains("azure.federated-token-file");
        }
    }
}
