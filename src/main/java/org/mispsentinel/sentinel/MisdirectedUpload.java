package org.mispsentinel.sentinel;

/**
 * What a 4xx other than 400, 401, 403, 413 and 429 most likely means. None of them is about the
 * records, so the message points at the setting to fix instead of at the data.
 */
final class MisdirectedUpload {

    private MisdirectedUpload() {
    }

    static String explain(int status, String workspaceId) {
        String fix = switch (status) {
            case 404 -> "Sentinel does not know workspace " + workspaceId + " there: check sentinel.workspace-id "
                    + "(the Log Analytics workspace id, not its resource id), then sentinel.api-host and azure.cloud";
            case 405, 415 -> "that host does not serve this upload path: check sentinel.api-host against sentinel.api "
                    + "(the Upload Indicators API lives on sentinelus.azure-api.net, the STIX objects API on "
                    + "api.ti.sentinel.azure.*) and azure.cloud";
            case 407 -> "the proxy wants credentials: check https.proxy and no.proxy";
            default -> "the request does not fit the API at that address: check sentinel.api and sentinel.api-host";
        };
        return "Sentinel refused the upload (HTTP " + status + "): " + fix
                + "; nothing was dead-lettered and the cycle stopped";
    }
}
