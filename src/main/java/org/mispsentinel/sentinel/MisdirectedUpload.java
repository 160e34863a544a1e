package org.mispsentinel.sentinel;

import java.util.function.UnaryOperator;

/**
 * What a 4xx other than 400, 401, 403, 413 and 429 most likely means. None of them is about the
 * records, so the message points at the setting to fix instead of at the data.
 */
final class MisdirectedUpload {

    private MisdirectedUpload() {
    }

    static String explain(int status, String workspaceId) {
        return refusal(status, workspaceId, key -> key) + "; nothing was dead-lettered and the cycle stopped";
    }

    /** @param named how a setting is called where it is set (a workspace's own key, say) */
    static String refusal(int status, String workspaceId, UnaryOperator<String> named) {
        String fix = switch (status) {
            case 404 -> "Sentinel does not know workspace " + workspaceId + " there: check "
                    + named.apply("sentinel.workspace-id") + " (the Log Analytics workspace id, not its resource id), "
                    + "then " + named.apply("sentinel.api-host") + " and " + named.apply("azure.cloud");
            case 405, 415 -> "that host does not serve this upload path: check " + named.apply("sentinel.api-host")
                    + " against " + named.apply("sentinel.api") + " (the Upload Indicators API lives on "
                    + "sentinelus.azure-api.net, the STIX objects API on api.ti.sentinel.azure.*) and "
                    + named.apply("azure.cloud");
            case 407 -> "the proxy wants credentials: check https.proxy and no.proxy";
            default -> "the request does not fit the API at that address: check " + named.apply("sentinel.api")
                    + " and " + named.apply("sentinel.api-host");
        };
        return "Sentinel refused the upload (HTTP " + status + "): " + fix;
    }
}
