package org.mispsentinel.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.mispsentinel.misp.LogLine;

/**
 * The per-record errors of a 200. Sentinel answers 200 as soon as one record was accepted, so a
 * body we cannot read, or an error we cannot pin to a record, leaves every record of the batch in
 * doubt: the outcome is then unknown, never "all accepted".
 */
final class RecordErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    // the Upload Indicators API's documentation and the STIX objects API's REST spec name the list differently
    private static final String[] MESSAGE_LISTS = {"errorMessages", "validationErrorMessages"};

    private RecordErrors() {
    }

    static UploadOutcome read(String body) {
        if (body == null || body.isBlank()) {
            return UploadOutcome.accepted(Map.of());
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return UploadOutcome.unknown("Sentinel answered 200 with a body that is not JSON");
        }
        JsonNode list = root == null ? null : root.path("errors");
        if (root == null || !root.isObject() || !(list.isMissingNode() || list.isArray())) {
            return UploadOutcome.unknown("Sentinel answered 200 with a body that is not an error list");
        }
        Map<Integer, String> errors = new HashMap<>();
        for (JsonNode error : list) {
            JsonNode index = error.path("recordIndex");
            if (!index.isIntegralNumber() || !index.canConvertToInt()) {
                return UploadOutcome.unknown("Sentinel reported a record error without a usable recordIndex");
            }
            errors.merge(index.asInt(), messages(error), (a, b) -> a + "; " + b);
        }
        return UploadOutcome.accepted(errors);
    }

    private static String messages(JsonNode error) {
        StringBuilder messages = new StringBuilder();
        for (String name : MESSAGE_LISTS) {
            for (JsonNode message : error.path(name)) {
                if (messages.length() > 0) {
                    messages.append("; ");
                }
                messages.append(message.asText());
            }
        }
        return LogLine.clip(messages.length() == 0 ? "rejected without a message" : messages.toString(), 1000);
    }
}
