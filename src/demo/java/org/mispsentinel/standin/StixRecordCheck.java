package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The per-record checks Sentinel applies before it accepts an uploaded STIX object. */
final class StixRecordCheck {

    // spec_version: Microsoft's documentation copies disagree on its default (sentinel-api.md), so
    // a record without it is refused here rather than guessed at
    static final List<String> INDICATOR_REQUIRED =
            List.of("type", "spec_version", "id", "created", "modified", "pattern", "pattern_type", "valid_from");
    static final List<String> OBJECT_REQUIRED = List.of("type", "spec_version", "id", "created", "modified");
    static final Set<String> STIX_OBJECT_TYPES =
            Set.of("indicator", "attack-pattern", "threat-actor", "identity", "relationship");

    private StixRecordCheck() {
    }

    /** @return the error messages; empty when the record is acceptable */
    static List<String> problems(JsonNode record, boolean indicatorsOnly) {
        List<String> problems = new ArrayList<>();
        if (!record.isObject()) {
            problems.add("Record is not a JSON object.");
            return problems;
        }
        String type = record.path("type").asText("");
        if (indicatorsOnly && !type.equals("indicator")) {
            problems.add("Only objects of type 'indicator' are supported; got '" + type + "'.");
            return problems;
        }
        if (!indicatorsOnly && !STIX_OBJECT_TYPES.contains(type)) {
            problems.add("Unsupported STIX object type '" + type + "'.");
            return problems;
        }
        for (String field : type.equals("indicator") ? INDICATOR_REQUIRED : OBJECT_REQUIRED) {
            JsonNode value = record.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                problems.add("Missing required property '" + field + "'.");
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        if (!record.get("id").asText().startsWith(type + "--")) {
            problems.add("Property 'id' must start with '" + type + "--'.");
        }
        for (String field : List.of("created", "modified", "valid_from", "valid_until")) {
            if (record.hasNonNull(field) && parse(record.get(field).asText()) == null) {
                problems.add("Property '" + field + "' is not a valid RFC 3339 timestamp.");
            }
        }
        if (record.hasNonNull("valid_until") && record.hasNonNull("valid_from")) {
            OffsetDateTime from = parse(record.get("valid_from").asText());
            OffsetDateTime until = parse(record.get("valid_until").asText());
            if (from != null && until != null && !until.isAfter(from)) {
                problems.add("Property 'valid_until' must be later than 'valid_from'.");
            }
        }
        if (record.has("confidence")) {
            JsonNode confidence = record.get("confidence");
            if (!confidence.isInt() || confidence.asInt() < 0 || confidence.asInt() > 100) {
                problems.add("Property 'confidence' must be an integer from 0 to 100.");
            }
        }
        return problems;
    }

    private static OffsetDateTime parse(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
