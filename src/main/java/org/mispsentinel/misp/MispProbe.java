package org.mispsentinel.misp;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.classic.HttpClient;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.mispsentinel.http.NoAnswer;

/**
 * Asks MISP, without reading a single attribute, whether it answers, whether it takes the key, and
 * how much the configured filters match now: what a check before the first run wants to know.
 */
public final class MispProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final String url;
    private final HttpClient http;

    /** @param http a client that adds the API key ({@link MispApiKey}) */
    public MispProbe(String url, HttpClient http) {
        this.url = url;
        this.http = http;
    }

    /**
     * MISP's release, from {@code GET /servers/getVersion} (ServersController::getVersion, open to
     * every user with API access): the cheapest call that proves the key is taken.
     *
     * @throws MispException for a refused key, an error answer, or no answer at all
     */
    public String version() {
        return call(new HttpGet(url + "/servers/getVersion"), response -> {
            try (InputStream in = body(response)) {
                MispResponses.requireJson(response.getCode(), contentType(response), in);
                try {
                    return LogLine.clip(JSON.readTree(in.readNBytes(MAX_ANSWER_BYTES)).path("version").asText("unknown"), 40);
                } catch (IOException notJson) {
                    throw new MispException("MISP's answer to /servers/getVersion is not JSON", false);
                }
            }
        });
    }

    /**
     * How many attributes one pass over the window from {@code since} matches now (see
     * {@link MispQuery#count}): one request, whose answer is a number.
     *
     * @throws MispException as {@link #version}, and for a MISP that has no count format
     */
    public long count(MispQuery query, ReadPass pass, long since) {
        HttpPost post = new HttpPost(url + "/attributes/restSearch");
        post.setEntity(new ByteArrayEntity(query.count(pass, since), ContentType.APPLICATION_JSON));
        return call(post, response -> {
            try (InputStream in = body(response)) {
                if (response.getCode() != 200) {
                    throw MispResponses.failure(response.getCode(), in);
                }
                String answer = new String(in.readNBytes(40), StandardCharsets.UTF_8).trim();
                try {
                    return Long.parseLong(answer);
                } catch (NumberFormatException e) {
                    throw new MispException("MISP did not answer restSearch's count format with a number (MISP has it "
                            + "since 2.4.131)", false);
                }
            }
        });
    }

    private <T> T call(ClassicHttpRequest request, HttpClientResponseHandler<T> handler) {
        try {
            return http.execute(request, handler);
        } catch (IOException e) {
            throw new MispException(NoAnswer.explain(e, "MISP", url), true);
        }
    }

    private static InputStream body(ClassicHttpResponse response) throws IOException {
        return response.getEntity() == null ? new ByteArrayInputStream(new byte[0]) : response.getEntity().getContent();
    }

    private static String contentType(ClassicHttpResponse response) {
        Header header = response.getFirstHeader("Content-Type");
        return header == null ? null : header.getValue();
    }
}
