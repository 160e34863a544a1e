package org.mispsentinel.sentinel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.hc.client5.http.classic.HttpClient;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.mispsentinel.config.Settings;
import org.mispsentinel.http.NoAnswer;

/**
 * Whether the app may upload to the workspace, found without uploading a single indicator: an
 * upload of no objects, to the URL and in the body a run uses. Both REST specs answer 200 only
 * "when at least one [object] is successfully validated and published", so an authorised upload of
 * nothing is refused as a bad request (400), and that refusal is the pass: it means the token, the
 * workspace and the role were taken. This rests on Sentinel authorising a request before judging
 * it, which Microsoft does not document; 401, 403 and 404 each name what to fix.
 */
public final class UploadProbe {

    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** When a 429 names no wait: Sentinel's request budget is counted per minute. */
    private static final Duration UNNAMED_WAIT = Duration.ofSeconds(60);

    private record Answer(int status, String retryAfter, String body) {
    }

    private final SentinelRequest request = new SentinelRequest();
    private final Settings.Sentinel sentinel;
    private final String workspaceId;
    private final HttpClient http;
    private final String clientId;
    private final UnaryOperator<String> named;
    private final Clock clock;

    /**
     * @param http  a client that adds the app's token ({@link BearerToken})
     * @param named how a setting is called where it is set: the workspace's own key or the shared one
     */
    public UploadProbe(Settings.Sentinel sentinel, HttpClient http, String clientId, UnaryOperator<String> named,
                       Clock clock) {
        this.sentinel = sentinel;
        this.workspaceId = sentinel.workspaceId();
        this.http = http;
        this.clientId = clientId;
        this.named = named;
        this.clock = clock;
    }

    /**
     * @return that the app may upload, in words
     * @throws SentinelException what stands in the way, or that Sentinel did not say
     */
    public String probe() {
        HttpPost post = new HttpPost(request.uploadUrl(sentinel));
        post.setEntity(new ByteArrayEntity(request.body(sentinel, List.of()), ContentType.APPLICATION_JSON));
        Answer answer;
        try {
            answer = http.execute(post, response -> new Answer(response.getCode(), header(response, "Retry-After"),
                    body(response)));
        } catch (IOException e) {
            throw new SentinelUnavailableException(NoAnswer.explain(e, "Sentinel", request.apiHost(sentinel)));
        }
        return judge(answer);
    }

    private String judge(Answer answer) {
        int status = answer.status();
        String said = SentinelResponse.sentinelSays(answer.body());
        String allowed = "app " + clientId + " may upload to workspace " + workspaceId + " at " + request.apiHost(sentinel);
        if (status >= 200 && status < 300) {
            return allowed + " (Sentinel took an upload of no objects: HTTP " + status + ")";
        }
        if (status == 400 && !said.toLowerCase(Locale.ROOT).contains("api-version")) {
            return allowed + " (an upload of no objects got past token, workspace and role, and was refused as "
                    + "empty: HTTP 400)";
        }
        throw switch (status) {
            case 400 -> new SentinelAccessDeniedException("Sentinel refused the API version (HTTP 400" + said
                    + "): check " + named.apply("sentinel.api") + " and " + named.apply("sentinel.api-host"));
            case 401 -> new SentinelAccessDeniedException(AccessRefusal.tokenRejected(clientId, named)
                    + SentinelResponse.saidLast(said));
            case 403 -> new SentinelAccessDeniedException(AccessRefusal.roleMissing(clientId, workspaceId)
                    + SentinelResponse.saidLast(said));
            case 429 -> new SentinelThrottledException("Sentinel throttled the probe (HTTP 429), so whether app "
                    + clientId + " may upload is not known: check again in "
                    + RetryAfter.of(answer.retryAfter(), answer.body(), UNNAMED_WAIT, clock).toSeconds() + "s");
            default -> status == 408 || status >= 500
                    ? new SentinelUnavailableException("Sentinel answered HTTP " + status + said + ", so whether app "
                            + clientId + " may upload is not known: check again later")
                    : new SentinelAccessDeniedException(MisdirectedUpload.refusal(status, workspaceId, named)
                            + SentinelResponse.saidLast(said));
        };
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static String body(ClassicHttpResponse response) throws IOException {
        if (response.getEntity() == null) {
            return "";
        }
        try (InputStream in = response.getEntity().getContent()) {
            return new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
        }
    }
}
