package org.mispsentinel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final String KEY = "misp-api-key-value-42";
    private static final String SECRET = "client-secret-value-42";

    private final Map<String, String> values = new HashMap<>(Map.of(
            "misp.url", "https://misp.example.org/",
            "misp.api-key", KEY,
            "azure.tenant-id", "contoso.onmicrosoft.com",
            "azure.client-id", "11111111-2222-3333-4444-555555555555",
            "azure.client-secret", SECRET,
            "sentinel.workspace-id", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"));

    private Settings load() {
        return Settings.load(key -> Optional.ofNullable(values.get(key)));
    }

    private void assertRefused(String key, String value, String problem) {
        values.put(key, value);
        assertThatThrownBy(this::load)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(ConfigurationException.envName(key))
                .hasMessageContaining(problem)
                .hasMessageNotContaining(KEY)
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void defaultsInTheCodeAreTheDefaultsOfApplicationProperties() throws Exception {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            file.load(in);
        }
        Settings fromCode = load();

        Settings fromFile = Settings.load(key -> Optional.ofNullable(values.get(key))
                .or(() -> Optional.ofNullable(file.getProperty(key))).filter(v -> !v.isBlank()));

        assertThat(fromFile).isEqualTo(fromCode);
    }

    @Test
    void theStateIsInH2FilesUnlessPostgresqlIsChosenWithADatabase() {
        assertThat(load().state().shared()).isEmpty();
        values.put("state.store", "postgresql");
        values.put("state.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/misp_sentinel");
        values.put("state.jdbc-user", "sentinel");
        values.put("state.jdbc-password", "jdbc-password-value-42");
        values.put("state.instance-id", "node-a");

        Settings.SharedState shared = load().state().shared().orElseThrow();

        assertThat(shared.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/misp_sentinel");
        assertThat(shared.password().orElseThrow().reveal()).isEqualTo("jdbc-password-value-42");
        assertThat(shared.instanceId()).isEqualTo("node-a");
        assertThat(shared.poolSize()).isEqualTo(4);
        assertThat(shared.toString()).doesNotContain("jdbc-password-value-42");
    }

    @Test
    void aStateStoreWithoutItsDatabaseOrADatabaseWithoutItsStoreIsRefusedNamingTheSetting() {
        assertRefused("state.store", "mysql", "must be h2 or postgresql");
        values.put("state.store", "postgresql");
        assertThatThrownBy(this::load).hasMessageContaining("state.jdbc-url (STATE_JDBC_URL): is required with "
                + "state.store=postgresql");
        assertRefused("state.jdbc-url", "jdbc:mysql://127.0.0.1/x", "must start with jdbc:postgresql:");
        values.remove("state.store");
        values.put("state.jdbc-url", "jdbc:postgresql://127.0.0.1/x");
        assertThatThrownBy(this::load).hasMessageContaining("state.store (STATE_STORE): is h2 (the default), but "
                + "state.jdbc-* is set");
    }

    @Test
    void refreshIsOffByDefaultAndItsLeadMustBeShorterThanEveryTtl() {
        assertThat(load().refresh().enabled()).isFalse();
        values.put("misp.indicator-ttl-days", "30");
        values.put("stix.ttl-days.ip", "7");
        values.put("refresh.lead-days", "3");
        values.put("refresh.max-per-cycle", "500");
        assertThat(load().refresh()).isEqualTo(new Settings.Refresh(java.time.Duration.ofDays(3), 500));

        assertRefused("refresh.lead-days", "7", "shorter than every TTL: workspace default gives ip indicators 7 days");
    }

    @Test
    void refreshOfValidUntilFromLastSeenNeedsATtlForEveryKind() {
        values.put("stix.valid-until-from-last-seen", "true");
        values.put("misp.indicator-ttl-days", "30");
        values.put("stix.ttl-days.file-hash", "0");

        assertRefused("refresh.lead-days", "3", "has none for file-hash");
    }

    @Test
    void urlLosesItsTrailingSlash() {
        assertThat(load().misp().url()).isEqualTo("https://misp.example.org");
    }

    @Test
    void missingRequiredSettingIsNamed() {
        values.remove("sentinel.workspace-id");
        assertThatThrownBy(this::load).hasMessage("sentinel.workspace-id (SENTINEL_WORKSPACE_ID): is required but not set");
    }

    @Test
    void workspaceMustBeAGuid() {
        assertRefused("sentinel.workspace-id", "/subscriptions/x/resourceGroups/y", "GUID");
    }

    @Test
    void plainHttpNeedsExplicitPermission() {
        assertRefused("misp.url", "http://misp.example.org", "https://");
        values.put("misp.allow-http", "true");
        assertThat(load().misp().url()).isEqualTo("http://misp.example.org");
    }

    @Test
    void credentialsInsideAUrlAreRefusedWithoutBeingRepeated() {
        assertRefused("misp.url", "https://admin:" + KEY + "@misp.example.org", "credentials");
    }

    @Test
    void numbersOutOfRangeAreRefused() {
        assertRefused("sentinel.batch-size", "101", "between 1 and 100");
        values.put("sentinel.batch-size", "100");
        assertRefused("misp.page-size", "lots", "whole number");
    }

    @Test
    void secretAndCertificateTogetherAreRefused(@org.junit.jupiter.api.io.TempDir Path temp) throws Exception {
        Path cert = Files.writeString(temp.resolve("app.pem"), "x");
        values.put("azure.client-certificate-path", cert.toString());

        assertThatThrownBy(this::load).hasMessageStartingWith("azure.credential (AZURE_CREDENTIAL): is not set and "
                + "several credentials are").hasMessageContaining("AZURE_CLIENT_SECRET")
                .hasMessageContaining("AZURE_CLIENT_CERTIFICATE_PATH").hasMessageContaining("secret, certificate")
                .hasMessageNotContaining(SECRET);
        values.put("azure.credential", "certificate");
        assertThat(load().workspaces().get(0).azure().credential()).as("a choice settles it")
                .isEqualTo(Credential.CERTIFICATE);
    }

    @Test
    void withoutAnyCredentialEverySettingThatWouldGiveOneIsNamed() {
        values.remove("azure.client-secret");

        assertThatThrownBy(this::load).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("azure.credential (AZURE_CREDENTIAL): is not set and no credential is")
                .hasMessageContaining("AZURE_CLIENT_SECRET").hasMessageContaining("AZURE_CLIENT_CERTIFICATE_PATH")
                .hasMessageContaining("AZURE_FEDERATED_TOKEN_FILE").hasMessageContaining("managed-identity");
        assertRefused("azure.credential", "password", "must be one of secret, certificate, managed-identity, "
                + "workload-identity");
    }

    @Test
    void managedIdentityNeedsNoAppRegistrationAndIsAnIdentityOfItsOwn() {
        Settings withSecret = load();
        values.remove("azure.tenant-id");
        values.remove("azure.client-id");
        values.put("azure.credential", "managed-identity");

        Settings.Azure systemAssigned = load().workspaces().get(0).azure();
        values.put("azure.managed-identity-client-id", "99999999-2222-3333-4444-555555555555");
        Settings userAssigned = load();

        assertThat(systemAssigned.credential()).isEqualTo(Credential.MANAGED_IDENTITY);
        assertThat(systemAssigned.who()).isEqualTo("the system-assigned managed identity");
        assertThat(systemAssigned.clientSecret()).as("a secret left set is not used").isEmpty();
        assertThat(userAssigned.workspaces().get(0).azure().who())
                .isEqualTo("the user-assigned managed identity 99999999-2222-3333-4444-555555555555");
        assertThat(userAssigned.workspaces().get(0).identity()).isNotEqualTo(withSecret.workspaces().get(0).identity());
        assertRefused("azure.managed-identity-client-id", "my-identity", "must be a GUID");
    }

    @Test
    void aFederatedTokenFileChoosesWorkloadIdentityAndMustExist(@org.junit.jupiter.api.io.TempDir Path temp)
            throws Exception {
        Path token = Files.writeString(temp.resolve("azure-identity-token"), "eyJ.eyJ.sig");
        values.remove("azure.client-secret");
        values.put("azure.federated-token-file", token.toString());

        Settings.Azure azure = load().workspaces().get(0).azure();

        assertThat(azure.credential()).isEqualTo(Credential.WORKLOAD_IDENTITY);
        assertThat(azure.federatedTokenFile()).contains(token);
        assertThat(azure.who()).isEqualTo("app 11111111-2222-3333-4444-555555555555 in tenant contoso.onmicrosoft.com");
        values.remove("azure.federated-token-file");
        values.put("azure.credential", "workload-identity");
        assertThatThrownBy(this::load).hasMessageStartingWith("azure.federated-token-file (AZURE_FEDERATED_TOKEN_FILE): "
                + "is required with azure.credential=workload-identity");
        assertRefused("azure.federated-token-file", temp.resolve("gone").toString(), "does not exist");
    }

    @Test
    void eachWorkspaceMayHaveACredentialOfItsOwn() {
        values.put("workspaces", "a,b");
        values.put("workspace.b.sentinel.workspace-id", "ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee");
        values.put("workspace.b.azure.credential", "managed-identity");

        Settings settings = load();

        assertThat(settings.workspaces().get(0).azure().credential()).isEqualTo(Credential.SECRET);
        assertThat(settings.workspaces().get(1).azure().credential()).isEqualTo(Credential.MANAGED_IDENTITY);
        assertThat(settings.workspaces().get(0).identity()).isNotEqualTo(settings.workspaces().get(1).identity());
    }

    @Test
    void reservedSourceSystemIsRefused() {
        assertRefused("sentinel.source-system", "Microsoft Sentinel", "reserved");
    }

    @Test
    void unknownChoiceListsTheAllowedValues() {
        assertRefused("sentinel.api", "graph", "indicators or stix-objects");
        values.put("sentinel.api", "indicators");
        assertRefused("stix.profile", "compound", "[misp-stix, sentinel]");
    }

    @Test
    void contextGoesAfterTheIndicatorsByDefaultAndOffAlsoLeavesOutCreatedByRef() {
        assertThat(load().workspaces().get(0).sentinel().context()).isEqualTo(Settings.ContextDelivery.AFTER_INDICATORS);
        assertThat(load().workspaces().get(0).mapping().includeCreatedByRef()).isTrue();

        values.put("sentinel.context", "off");
        assertThat(load().workspaces().get(0).mapping().includeCreatedByRef()).isFalse();
        values.put("stix.created-by-ref", "true");
        assertThat(load().workspaces().get(0).mapping().includeCreatedByRef()).isTrue();

        assertRefused("sentinel.context", "later", "with-indicators, after-indicators or off");
    }

    @Test
    void byDefaultTheStixObjectsApiOnItsDocumentedCommercialHost() {
        Settings settings = load();

        assertThat(settings.workspaces().get(0).sentinel().stixObjectsApi()).isTrue();
        assertThat(settings.workspaces().get(0).sentinel().apiHost()).isEqualTo("https://api.ti.sentinel.azure.com");
        assertThat(settings.workspaces().get(0).azure().authorityHost()).isEqualTo("https://login.microsoftonline.com");
        assertThat(settings.workspaces().get(0).azure().scope()).isEqualTo("https://management.azure.com/.default");
    }

    @Test
    void legacyApiUsesItsDocumentedHostUnlessOneIsSet() {
        values.put("sentinel.api", "indicators");
        assertThat(load().workspaces().get(0).sentinel().apiHost()).isEqualTo("https://sentinelus.azure-api.net");

        values.put("sentinel.api-host", "https://gateway.example.org");
        assertThat(load().workspaces().get(0).sentinel().apiHost()).isEqualTo("https://gateway.example.org");
    }

    @Test
    void cloudSetsAuthorityScopeAndApiHostTogether() {
        values.put("azure.cloud", "us-government");
        Settings gov = load();
        values.put("azure.cloud", "china");
        Settings china = load();

        assertThat(gov.workspaces().get(0).azure().authorityHost()).isEqualTo("https://login.microsoftonline.us");
        assertThat(gov.workspaces().get(0).azure().scope()).isEqualTo("https://management.usgovcloudapi.net/.default");
        assertThat(gov.workspaces().get(0).sentinel().apiHost()).isEqualTo("https://api.ti.sentinel.azure.us");
        assertThat(china.workspaces().get(0).azure().authorityHost()).isEqualTo("https://login.chinacloudapi.cn");
        assertThat(china.workspaces().get(0).azure().scope()).isEqualTo("https://management.chinacloudapi.cn/.default");
        assertThat(china.workspaces().get(0).sentinel().apiHost()).isEqualTo("https://api.ti.sentinel.azure.cn");
    }

    @Test
    void eachPartOfTheCloudCanBeSetOnItsOwn() {
        values.put("azure.cloud", "us-government");
        values.put("azure.authority-host", "https://login.example.org");
        Settings settings = load();

        assertThat(settings.workspaces().get(0).azure().authorityHost()).isEqualTo("https://login.example.org");
        assertThat(settings.workspaces().get(0).azure().scope()).isEqualTo("https://management.usgovcloudapi.net/.default");
        assertThat(settings.workspaces().get(0).sentinel().apiHost()).isEqualTo("https://api.ti.sentinel.azure.us");
    }

    @Test
    void legacyApiOutsideTheCommercialCloudNeedsItsHostSet() {
        values.put("azure.cloud", "china");
        assertRefused("sentinel.api", "indicators", "sentinel.api-host");
    }

    @Test
    void unknownCloudIsRefused() {
        assertRefused("azure.cloud", "moon", "commercial, us-government, china");
    }

    @Test
    void dryRunNeedsNoAzureSettings() {
        values.keySet().removeIf(k -> k.startsWith("azure.") || k.startsWith("sentinel."));
        values.put("dry-run.enabled", "true");

        assertThat(load().workspaces().get(0).azure()).isNull();
    }

    @Test
    void secretsPrintAsAMask() {
        Settings settings = load();

        assertThat(settings.toString()).doesNotContain(KEY).doesNotContain(SECRET).contains("****");
    }

    @Test
    void withoutWorkspacesThereIsOneNamedDefaultWithItsStateInTheStateDirectory() {
        values.put("state.dir", "/var/lib/misp-sentinel");

        Settings settings = load();

        assertThat(settings.workspaces()).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo(Settings.DEFAULT_WORKSPACE);
            assertThat(w.stateDir()).isEqualTo(Path.of("/var/lib/misp-sentinel"));
            assertThat(w.filter().acceptsAll()).isTrue();
        });
    }

    @Test
    void aWorkspaceTakesItsOwnKeysAndTheSharedOnesForTheRest() {
        values.put("workspaces", "contoso,fabrikam");
        values.put("state.dir", "state");
        values.put("workspace.fabrikam.sentinel.workspace-id", "ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee");
        values.put("workspace.fabrikam.azure.client-id", "99999999-2222-3333-4444-555555555555");
        values.put("workspace.fabrikam.sentinel.source-system", "MISP (MSSP)");
        values.put("workspace.fabrikam.filter.tlp-max", "amber");
        values.put("workspace.fabrikam.filter.types-include", "IP-DST, domain");

        Settings settings = load();

        Settings.Workspace contoso = settings.workspaces().get(0);
        Settings.Workspace fabrikam = settings.workspaces().get(1);
        assertThat(contoso.sentinel().workspaceId()).isEqualTo("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        assertThat(fabrikam.sentinel().workspaceId()).isEqualTo("ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee");
        assertThat(fabrikam.azure().tenantId()).isEqualTo(contoso.azure().tenantId());
        assertThat(fabrikam.azure().clientSecret()).isEqualTo(contoso.azure().clientSecret());
        assertThat(fabrikam.sentinel().sourceSystem()).isEqualTo("MISP (MSSP)");
        assertThat(fabrikam.filter().typesInclude()).containsExactly("ip-dst", "domain");
        assertThat(fabrikam.filter().tlpMax()).isEqualTo(org.mispsentinel.stix.Tlp.AMBER);
        assertThat(contoso.filter().acceptsAll()).isTrue();
        assertThat(contoso.stateDir()).isEqualTo(Path.of("state", "contoso"));
        assertThat(fabrikam.stateDir()).isEqualTo(Path.of("state", "fabrikam"));
        assertThat(fabrikam.identity()).as("another app registration").isNotEqualTo(contoso.identity());
    }

    @Test
    void workspacesUnderOneAppRegistrationHaveOneIdentity() {
        values.put("workspaces", "a,b");
        values.put("workspace.b.sentinel.workspace-id", "ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee");

        Settings settings = load();

        assertThat(settings.workspaces().get(0).identity()).isEqualTo(settings.workspaces().get(1).identity());
    }

    @Test
    void anErrorNamesTheKeyInEffectForTheWorkspace() {
        values.put("workspaces", "contoso,fabrikam");
        values.remove("sentinel.workspace-id");
        values.put("workspace.contoso.sentinel.workspace-id", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        assertThatThrownBy(this::load).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("workspace.fabrikam.sentinel.workspace-id "
                        + "(WORKSPACE_FABRIKAM_SENTINEL_WORKSPACE_ID): is required");

        values.put("workspace.fabrikam.sentinel.workspace-id", "not-a-guid");
        assertThatThrownBy(this::load).hasMessageStartingWith("workspace.fabrikam.sentinel.workspace-id").hasMessageContaining("GUID");

        values.put("workspace.fabrikam.sentinel.workspace-id", "ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee");
        values.put("sentinel.batch-size", "500");
        assertThatThrownBy(this::load).as("a shared key is named as such")
                .hasMessageStartingWith("sentinel.batch-size (SENTINEL_BATCH_SIZE)");
    }

    @Test
    void workspaceNamesMustBeSimpleUniqueAndTheirTargetsDistinct() {
        values.put("workspace.b.sentinel.workspace-id", "ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee");
        assertRefused("workspaces", "a,B", "lower-case");
        assertRefused("workspaces", "a,a", "twice");
        values.remove("workspace.b.sentinel.workspace-id");
        values.put("workspaces", "a,b");
        assertThatThrownBy(this::load).hasMessageStartingWith("workspace.b.sentinel.workspace-id")
                .hasMessageContaining("same sentinel.source-system");
        values.put("workspace.b.sentinel.source-system", "MISP b");
        assertThat(load().workspaces()).hasSize(2);
    }

    @Test
    void tlpCeilingMustBeATlpLevel() {
        assertRefused("filter.tlp-max", "orange", "amber+strict");
    }
}
