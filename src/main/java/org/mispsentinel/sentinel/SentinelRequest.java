package org.mispsentinel.sentinel;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.mispsentinel.config.Settings;
import org.mispsentinel.delivery.PendingStix;

/**
 * The upload request for one batch, for either of Sentinel's two APIs: Upload Indicators
 * (2022-07-01, {@code indicators}) or Upload STIX objects (2024-02-01-preview, {@code stixobjects}).
 */
public final class SentinelRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The host, a setting on its own: the route sends to it, and the path is set per request. */
    public String apiHost(Settings.Sentinel sentinel) {
        return sentinel.apiHost();
    }

    public String uploadUrl(Settings.Sentinel sentinel) {
        String base = sentinel.apiHost() + "/workspaces/" + sentinel.workspaceId();
        return sentinel.stixObjectsApi()
                ? base + "/threat-intelligence-stix-objects:upload?api-version=2024-02-01-preview"
                : base + "/threatintelligenceindicators:upload?api-version=2022-07-01";
    }

    public byte[] body(Settings.Sentinel sentinel, List<PendingStix> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 900);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("sourcesystem", sentinel.sourceSystem());
            json.writeArrayFieldStart(sentinel.stixObjectsApi() ? "stixobjects" : "indicators");
            for (PendingStix p : batch) {
                JSON.writeValue(json, p.object());
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
