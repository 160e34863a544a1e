package org.mispsentinel.sentinel;

import java.util.function.UnaryOperator;

/**
 * What Sentinel's refusals of the caller (401, 403) mean, worded the same for an upload and for the
 * check that probes the permission before any upload.
 */
final class AccessRefusal {

    private AccessRefusal() {
    }

    /** The role is an Azure role assignment, not a token claim: only the upload call shows it is missing. */
    static String roleMissing(String clientId, String workspaceId) {
        return "Sentinel refused the upload (HTTP 403): the app " + clientId + " needs the 'Microsoft Sentinel "
                + "Contributor' role on the Log Analytics workspace " + workspaceId + "; a new role assignment can "
                + "take several minutes to apply";
    }

    /** A token Entra ID just issued and Sentinel refuses is for another tenant, cloud or audience. */
    static String tokenRejected(String clientId, UnaryOperator<String> named) {
        return "Sentinel rejects the tokens of app " + clientId + " (HTTP 401): check " + named.apply("azure.tenant-id")
                + ", " + named.apply("azure.scope") + " (sovereign clouds use their own management scope) and "
                + named.apply("sentinel.api-host");
    }
}
