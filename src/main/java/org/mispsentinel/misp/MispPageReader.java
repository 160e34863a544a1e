package org.mispsentinel.misp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one restSearch response. The body is parsed as a stream, one attribute at a time, so a
 * page costs the memory of its attributes, not of a document tree. A page is all or nothing: if
 * any part of it is not JSON, the whole page fails and nothing from it is sent, because a page cut
 * short cannot tell which attributes it would have held.
 */
public final class MispPageReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    public MispPage read(int status, String contentType, String resultCount, InputStream body) {
        try (InputStream in = body) {
            if (status != 200) {
                throw failure(status, in);
            }
            if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
                throw new MispException("MISP answered 200 with " + contentType.split(";")[0]
                        + " instead of JSON (a proxy or login page?)", true);
            }
            return new MispPage(records(in), parseCount(resultCount));
        } catch (IOException e) {
            throw new MispException("MISP response could not be read: " + e.getMessage(), true);
        }
    }

    private static List<MispRecord> records(InputStream in) throws IOException {
        List<MispRecord> records = new ArrayList<>();
        try (JsonParser parser = FACTORY.createParser(in)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("response") && value == JsonToken.START_OBJECT) {
                    readResponse(parser, records);
                } else {
                    // MISP answers an empty search with "response": [] on some versions.
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new MispException("MISP response is not a single JSON object", true);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MispException("MISP response is not valid JSON: " + e.getOriginalMessage(), true);
        }
        return records;
    }

    private static void readResponse(JsonParser parser, List<MispRecord> records) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("Attribute") && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode node = JSON.readTree(parser);
                    records.add(AttributeJson.toRecord(node));
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new MispException("MISP response is not a JSON object", true);
        }
    }

    private static long parseCount(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static MispException failure(int status, InputStream in) throws IOException {
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
            return text.isEmpty() ? "" : ": " + Text.clip(text, 200);
        } catch (IOException notJson) {
            String raw = new String(head, StandardCharsets.UTF_8);
            return raw.isBlank() ? "" : " with a non-JSON body";
        }
    }
}
