package org.mispsentinel.stix;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The STIX domain objects that give indicators their context in Sentinel: the {@code identity} of
 * the organisation that published them, and the {@code attack-pattern} and {@code threat-actor}
 * they point to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "spec_version", "id", "created", "modified", "name", "identity_class",
        "external_references"})
public record StixContextObject(
        String type,
        String id,
        String created,
        String modified,
        String name,
        @JsonProperty("identity_class") String identityClass,
        @JsonProperty("external_references") List<StixIndicator.ExternalReference> externalReferences)
        implements StixObject {

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}
