package org.mispsentinel.stix;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A STIX 2.1 indicator as Sentinel's upload APIs take it. Absent (null) properties are left out of
 * the JSON. Timestamps are RFC 3339 UTC strings with millisecond precision.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "spec_version", "id", "created", "modified", "revoked", "name", "description",
        "indicator_types", "pattern", "pattern_type", "pattern_version", "valid_from", "valid_until",
        "kill_chain_phases", "labels", "confidence", "created_by_ref", "object_marking_refs",
        "external_references"})
public record StixIndicator(
        String id,
        String created,
        String modified,
        String name,
        String description,
        @JsonProperty("indicator_types") List<String> indicatorTypes,
        String pattern,
        @JsonProperty("pattern_type") String patternType,
        @JsonProperty("pattern_version") String patternVersion,
        @JsonProperty("valid_from") String validFrom,
        @JsonProperty("valid_until") String validUntil,
        @JsonProperty("kill_chain_phases") List<KillChainPhase> killChainPhases,
        List<String> labels,
        Integer confidence,
        @JsonProperty("created_by_ref") String createdByRef,
        @JsonProperty("object_marking_refs") List<String> objectMarkingRefs,
        @JsonProperty("external_references") List<ExternalReference> externalReferences,
        Boolean revoked) implements StixObject {

    @Override
    @JsonProperty("type")
    public String type() {
        return "indicator";
    }

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }

    /** This indicator withdrawn: Sentinel keeps it, marked revoked, and stops matching it. */
    public StixIndicator revoke() {
        return new StixIndicator(id, created, modified, name, description, indicatorTypes, pattern, patternType,
                patternVersion, validFrom, validUntil, killChainPhases, labels, confidence, createdByRef,
                objectMarkingRefs, externalReferences, Boolean.TRUE);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KillChainPhase(
            @JsonProperty("kill_chain_name") String killChainName,
            @JsonProperty("phase_name") String phaseName) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExternalReference(
            @JsonProperty("source_name") String sourceName,
            String url,
            @JsonProperty("external_id") String externalId,
            String description) {
    }
}
