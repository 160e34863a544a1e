package org.mispsentinel.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.mispsentinel.config.Settings;
import org.mispsentinel.delivery.WorkspaceDelivery;
import org.mispsentinel.misp.LogLine;

/**
 * Reads Sentinel's answer to an upload. A 200 is not success on its own: its body may list records
 * that were refused. Every other status becomes the exception that decides what the route does
 * next (wait and retry, back off and retry, or stop the cycle); a request refused as a whole (400,
 * 413) is an answer to act on (split the batch), not a failure to repeat. Any other 4xx says the
 * request went to the wrong place (host, path, workspace, proxy): no batch can pass, so it stops
 * the cycle and dead-letters nothing.
 */
public final class SentinelResponse {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    public SentinelResponse(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param identity  who uploaded: a refused token is renewed, and a 429 holds back every workspace it uploads to
     * @param sentinel  the settings of the workspace uploaded to, for its id in messages and the default wait
     */
    public UploadOutcome check(SentinelIdentity identity, Settings.Sentinel sentinel, int status, String retryAfter,
                               String body) {
        String clientId = identity.clientId();
        String workspaceId = sentinel.workspaceId();
        if (status >= 200 && status < 300) {
            identity.pace().authorized();
            return RecordErrors.read(body);
        }
        String said = sentinelSays(body);
        return switch (status) {
            case 429 -> {
                Duration wait = RetryAfter.of(retryAfter, body, sentinel.defaultRetryAfter(), clock);
                identity.pace().notBefore(clock.millis() + wait.toMillis());
                yield UploadOutcome.throttled(wait.toMillis(), RetryAfter.source(retryAfter, body, clock),
                        "Sentinel throttled the upload (429); retrying in " + wait.toSeconds() + "s");
            }
            // only these two say something about the records: halves of the batch may pass
            case 400, 413 -> UploadOutcome.refused(status, "Sentinel refused the request (HTTP " + status + said + ")");
            case 401 -> UploadOutcome.failed(status, unauthorized(identity, said));
            case 403 -> UploadOutcome.failed(status, new SentinelAccessDeniedException(
                    AccessRefusal.roleMissing(clientId, workspaceId) + saidLast(said)));
            default -> status == 408 || status >= 500
                    ? UploadOutcome.failed(status, new SentinelUnavailableException("Sentinel answered HTTP " + status + said))
                    : UploadOutcome.failed(status, new SentinelAccessDeniedException(
                            MisdirectedUpload.explain(status, workspaceId) + saidLast(said)));
        };
    }

    /**
     * Holds any request back until the wait of the last 429 is over, also when the request is a
     * retry after an I/O error: a server that throttles may also drop connections, and a retry
     * must never reach it early. This is where a 429's wait is spent (its redelivery has no delay of
     * its own): stopping misp-sentinel ends it at once, since the batch is not in Sentinel's hands.
     */
    public void awaitThrottleWindow(WorkspaceDelivery workspace) throws InterruptedException {
        long wait = workspace.identity().pace().notBeforeMillis() - clock.millis();
        if (wait > 0 && workspace.awaitStopped(wait)) {
            workspace.ensureRunning();
        }
    }

    /** The route's next step: raises the outcome's exception, if it has one. */
    public UploadOutcome raiseFailure(UploadOutcome outcome) {
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome;
    }

    private SentinelException unauthorized(SentinelIdentity identity, String said) {
        // A token can expire or be revoked between issue and use: one fresh token is worth a try,
        // a second refusal means the token is for the wrong audience or tenant.
        identity.tokens().invalidate();
        if (identity.pace().unauthorized() == 1) {
            return new SentinelUnavailableException("Sentinel rejected the access token (HTTP 401" + said
                    + "); a new token will be requested");
        }
        return new SentinelAccessDeniedException(AccessRefusal.tokenRejected(identity.clientId(), key -> key)
                + saidLast(said));
    }

    static String saidLast(String said) {
        return said.isEmpty() ? "" : ". Sentinel said" + said;
    }

    /** Sentinel's own message (either error shape), as {@code ": message"}, or empty. */
    static String sentinelSays(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode root = JSON.readTree(body);
            String message = root.path("message").asText(root.path("error").path("message").asText(""));
            return message.isEmpty() ? "" : ": " + LogLine.clip(message, 300);
        } catch (IOException e) {
            return "";
        }
    }
}
