package org.mispsentinel.misp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** What every MISP answer is checked for before its body is read. */
final class MispResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MispResponses() {
    }

    /** Throws for a refused key, an error status or a body that is not JSON (a proxy's login page). */
    static void requireJson(int status, String contentType, InputStream in) throws IOException {
        if (status != 200) {
            throw failure(status, in);
        }
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            throw new MispException("MISP answered 200 with " + contentType.split(";")[0]
                    + " instead of JSON (a proxy or login page?)", true);
        }
    }

    static MispException failure(int status, InputStream in) throws IOException {
        String detail = errorMessage(in);
        if (status == 401 || status == 403) {
            return new MispException("MISP refused the API key (HTTP " + status + detail + "): check misp.api-key "
                    + "(MISP_API_KEY) and that its user may use the API", false);
        }
        boolean retryable = status == 429 || status >= 500;
        return new MispException("MISP answered HTTP " + status + detail, retryable);
    }

    /** MISP's own {@code name}/{@code message}, short, never the request (it may echo headers). */
    private static String errorMessage(InputStream in) throws IOException {
        byte[] head = in.readNBytes(4096);
        try {
            JsonNode node = JSON.readTree(head);
            String text = node.path("message").asText(node.path("name").asText(""));
            return text.isEmpty() ? "" : ": " + LogLine.clip(text, 200);
        } catch (IOException notJson) {
            String raw = new String(head, StandardCharsets.UTF_8);
            return raw.isBlank() ? "" : " with a non-JSON body";
        }
    }
}
