package org.mispsentinel.stix;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/** A STIX object read back as JSON (from the dead-letter file), sent again exactly as it was. */
public record RawStixObject(@JsonValue JsonNode json) implements StixObject {

    @Override
    public String id() {
        return json.path("id").asText();
    }

    @Override
    public String type() {
        return json.path("type").asText();
    }
}
