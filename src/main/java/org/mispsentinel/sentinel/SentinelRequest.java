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

    private final String apiHost;
    private final String uploadUrl;
    private final String arrayField;
    private final String sourceSystem;

    public SentinelRequest(Settings.Sentinel sentinel) {
        this.apiHost = sentinel.apiHost();
        String base = sentinel.apiHost() + "/workspaces/" + sentinel.workspaceId();
        this.uploadUrl = sentinel.stixObjectsApi()
                ? base + "/threat-intelligence-stix-objects:upload?api-version=2024-02-01-preview"
                : base + "/threatintelligenceindicators:upload?api-version=2022-07-01";
        this.arrayField = sentinel.stixObjectsApi() ? "stixobjects" : "indicators";
        this.sourceSystem = sentinel.sourceSystem();
    }

    public String apiHost() {
        return apiHost;
    }

    public String uploadUrl() {
        return uploadUrl;
    }

    public byte[] body(List<PendingStix> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 900);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("sourcesystem", sourceSystem);
            json.writeArrayFieldStart(arrayField);
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
