package org.mispsentinel.misp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads MISP's answer to {@code GET /objects/view/{id}}. An object that is gone (404: deleted for
 * good, or no longer visible to the key's user) is an empty answer, not a failure: its attributes
 * are then mapped on their own.
 */
public final class MispObjectReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Optional<MispObject> read(int status, String contentType, InputStream body) {
        try (InputStream in = body) {
            if (status == 404) {
                return Optional.empty();
            }
            MispResponses.requireJson(status, contentType, in);
            JsonNode root = JSON.readTree(in);
            JsonNode object = root == null ? null : root.get("Object");
            if (object == null || !object.isObject()) {
                throw new MispException("MISP's object answer holds no Object", true);
            }
            return Optional.of(toObject(object));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MispException("MISP object is not valid JSON: " + e.getOriginalMessage(), true);
        } catch (IOException e) {
            throw new MispException("MISP object could not be read: " + e.getMessage(), true);
        }
    }

    static MispObject toObject(JsonNode object) {
        List<MispAttribute> members = new ArrayList<>();
        for (JsonNode attribute : object.path("Attribute")) {
            if (AttributeJson.toRecord(attribute) instanceof MispAttribute member) {
                members.add(member);
            }
        }
        return new MispObject(text(object, "id"), text(object, "uuid"), text(object, "name"),
                text(object, "meta-category"), text(object, "comment"), object.path("timestamp").asLong(0),
                object.path("deleted").asBoolean(false) || "1".equals(object.path("deleted").asText()), members);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
    }
}
