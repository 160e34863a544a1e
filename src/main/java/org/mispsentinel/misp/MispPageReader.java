package org.mispsentinel.misp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads one restSearch response. The body is parsed as a stream, one attribute at a time, so a
 * page costs the memory of its attributes, not of a document tree. A page is all or nothing: if
 * any part of it is not JSON, the whole page fails and nothing from it is sent, because a page cut
 * short cannot tell which attributes it would have held.
 */
public final class MispPageReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    public MispPage read(int status, String contentType, String resultCount, String skipped, String date,
                         InputStream body) {
        try (InputStream in = body) {
            MispResponses.requireJson(status, contentType, in);
            List<MispRecord> records = new ArrayList<>();
            List<MispPage.Position> positions = new ArrayList<>();
            read(in, records, positions);
            int dropped = (int) Math.max(0, Math.min(Integer.MAX_VALUE, parseCount(skipped)));
            return new MispPage(records, positions, parseCount(resultCount), dropped, serverTime(date));
        } catch (IOException e) {
            throw new MispException("MISP response could not be read: " + e.getMessage(), true);
        }
    }

    private static OptionalLong serverTime(String date) {
        if (date == null || date.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond());
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    private static void read(InputStream in, List<MispRecord> records, List<MispPage.Position> positions)
            throws IOException {
        try (JsonParser parser = FACTORY.createParser(in)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("response") && value == JsonToken.START_OBJECT) {
                    readResponse(parser, records, positions);
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
    }

    private static void readResponse(JsonParser parser, List<MispRecord> records, List<MispPage.Position> positions)
            throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("Attribute") && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode node = JSON.readTree(parser);
                    records.add(AttributeJson.toRecord(node));
                    positions.add(position(node));
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    /** The row's place in (timestamp, id) order; null when either cannot be read. */
    private static MispPage.Position position(JsonNode node) {
        try {
            return new MispPage.Position(Long.parseLong(node.path("timestamp").asText().trim()),
                    Long.parseLong(node.path("id").asText().trim()));
        } catch (NumberFormatException e) {
            return null;
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
}
