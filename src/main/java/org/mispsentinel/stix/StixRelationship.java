package org.mispsentinel.stix;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A STIX {@code relationship}; misp-sentinel writes only "indicator indicates context". */
@JsonPropertyOrder({"type", "spec_version", "id", "created", "modified", "relationship_type", "source_ref",
        "target_ref"})
public record StixRelationship(
        String id,
        String created,
        String modified,
        @JsonProperty("relationship_type") String relationshipType,
        @JsonProperty("source_ref") String sourceRef,
        @JsonProperty("target_ref") String targetRef) implements StixObject {

    @Override
    @JsonProperty("type")
    public String type() {
        return "relationship";
    }

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}
