package org.mispsentinel.stix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispTag;

/**
 * The golden table: one sample attribute per supported type, read from and written to
 * {@code src/test/resources/stix/golden.jsonl}. The attribute JSON uses MISP's field names.
 */
final class GoldenTable {

    static final String RESOURCE = "/stix/golden.jsonl";
    static final ObjectMapper JSON = new ObjectMapper();

    /** Sample values, chosen to exercise escaping and each validator's happy path. */
    static final Map<String, String> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("ip-src", "198.51.100.7");
        SAMPLES.put("ip-dst", "2001:db8::7");
        SAMPLES.put("domain", "example.org");
        SAMPLES.put("hostname", "mail.xn--bcher-kva.example");
        SAMPLES.put("url", "https://example.org/a?q='x'&b=\\y");
        SAMPLES.put("uri", "https://example.org/wp-admin/x.php");
        SAMPLES.put("link", "https://misp-project.org/download/");
        SAMPLES.put("email", "a@example.org");
        SAMPLES.put("email-src", "src@example.org");
        SAMPLES.put("email-dst", "dst@example.org");
        SAMPLES.put("email-subject", "Invoice 'urgent'");
        SAMPLES.put("email-message-id", "<20231114.1234@mail.example.org>");
        SAMPLES.put("email-reply-to", "reply-to@example.org");
        SAMPLES.put("email-x-mailer", "Mailer 'X' 1.0");
        SAMPLES.put("md5", "b2a5abfeef9e36964281a31e17b57c97");
        SAMPLES.put("sha1", "2920d5e6c579fce772e5506caf03af65579088bd");
        SAMPLES.put("sha224", "5d6dc524ce96b1bb5e96d8dc116ff53b457ffb7f16afd9019a0dd8e9");
        SAMPLES.put("sha256", "7fa3abc229fd3cb9a0a6f07d9da15e35528c630d0ad5902d5422b305cae7eaa4");
        SAMPLES.put("sha384", "ec1f92f1d30b71ffd866fe643a5fde9b64ac86398bfd3f24302bb2bae97e2b281f67666e7167dfdeb60006e2924636ce");
        SAMPLES.put("sha512", "28c9409ebaed767fe240ecacf727f9a5bd9f17fbd054f7dff2770a81878e56b176bf5f0cd196217ac785dd88e807a78ef3ee8b8122aba15c9ffb5c143794e6fe");
        SAMPLES.put("sha3-256", "39725234628358bcce613d1d1c07c2c3d2d106e3a6ac192016b46e5dddcd03f4");
        SAMPLES.put("sha3-512", "fdd67b8bd14e66e4b4fd9b67cff26e8e8d254569e5977c41a1bf11a33ddd758681d8f0a891be4c6c728509e2cbf20ea272a443b2a494fe52e85a3f45954db748");
        SAMPLES.put("sha3-224", "47d20efbf11c63c0b683560e61f7eb2eb314b68d9e714f8feeba0cfc");
        SAMPLES.put("sha3-384", "93bc97650d11bd9814f6658989605751f3279da1cffe4c7e3fafc99ce5a7bee9884daa8b70a6f0010132ee9585ead568");
        SAMPLES.put("ssdeep", "96:QRWkwoBevsL0JsIQ3pq8dxbuTet7eU/uEzAfue9atn0JbIi:QRWktBe80JsIIq8dxKyPew0JbIi");
        SAMPLES.put("tlsh", "c325af62e2f15cf7c32316389d1b57a46827be703d3879866bf52c385f396813829297");
        SAMPLES.put("authentihash", "b3b8b4ac8ac98e610c49b4c5306b95ea2836348492b5c488f584a223541283cc");
        SAMPLES.put("pehash", "ffb7a38174aab4744cc4a509e34800aee9be8e57");
        SAMPLES.put("telfhash", "t1217492227645186ff295285cbc827216226b2323597f71ff36c8cc453b0e5f539d0b");
        SAMPLES.put("vhash", "115056655d15151138z66hz1021z55z66z3");
        SAMPLES.put("imphash", "68f013d7437aa653a8a98a05807afeb1");
        SAMPLES.put("filename", "invoice 'final'.exe");
        SAMPLES.put("mutex", "Global\\x");
        SAMPLES.put("regkey", "HKLM\\Software\\mthjk");
        SAMPLES.put("AS", "AS64496");
        SAMPLES.put("mac-address", "00-00-5E-00-53-01");
        SAMPLES.put("x509-fingerprint-md5", "8764605c6f388c89096b534d33565802");
        SAMPLES.put("x509-fingerprint-sha1", "46aba99aa7158e4609aaa72b50990842fd22ae86");
        SAMPLES.put("x509-fingerprint-sha256", "ec5aedf5ecc6bdadd4120932170d1b10f6cfa175cfda22951dfd882928ab279b");
        SAMPLES.put("user-agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
        SAMPLES.put("filename|md5", "a.exe|b2a5abfeef9e36964281a31e17b57c97");
        SAMPLES.put("malware-sample", "sample.exe|b2a5abfeef9e36964281a31e17b57c97");
        SAMPLES.put("filename|sha1", "a.exe|2920d5e6c579fce772e5506caf03af65579088bd");
        SAMPLES.put("filename|sha224", "a.exe|5d6dc524ce96b1bb5e96d8dc116ff53b457ffb7f16afd9019a0dd8e9");
        SAMPLES.put("filename|sha256", "a|b.exe|7fa3abc229fd3cb9a0a6f07d9da15e35528c630d0ad5902d5422b305cae7eaa4");
        SAMPLES.put("filename|sha384", "a.exe|ec1f92f1d30b71ffd866fe643a5fde9b64ac86398bfd3f24302bb2bae97e2b281f67666e7167dfdeb60006e2924636ce");
        SAMPLES.put("filename|sha512", "a.exe|28c9409ebaed767fe240ecacf727f9a5bd9f17fbd054f7dff2770a81878e56b176bf5f0cd196217ac785dd88e807a78ef3ee8b8122aba15c9ffb5c143794e6fe");
        SAMPLES.put("filename|ssdeep", "a.exe|96:QRWkwoBevsL0JsIQ3pq8dxbuTet7eU/uEzAfue9atn0JbIi:QRWktBe80JsIIq8dxKyPew0JbIi");
        SAMPLES.put("filename|tlsh", "a.exe|T1c325af62e2f15cf7c32316389d1b57a46827be703d3879866bf52c385f396813829297");
        SAMPLES.put("filename|imphash", "a.exe|68f013d7437aa653a8a98a05807afeb1");
        SAMPLES.put("filename|sha3-224", "a.exe|47d20efbf11c63c0b683560e61f7eb2eb314b68d9e714f8feeba0cfc");
        SAMPLES.put("filename|sha3-256", "a.exe|39725234628358bcce613d1d1c07c2c3d2d106e3a6ac192016b46e5dddcd03f4");
        SAMPLES.put("filename|sha3-384", "a.exe|93bc97650d11bd9814f6658989605751f3279da1cffe4c7e3fafc99ce5a7bee9884daa8b70a6f0010132ee9585ead568");
        SAMPLES.put("filename|sha3-512", "a.exe|fdd67b8bd14e66e4b4fd9b67cff26e8e8d254569e5977c41a1bf11a33ddd758681d8f0a891be4c6c728509e2cbf20ea272a443b2a494fe52e85a3f45954db748");
        SAMPLES.put("filename|authentihash", "a.exe|b3b8b4ac8ac98e610c49b4c5306b95ea2836348492b5c488f584a223541283cc");
        SAMPLES.put("filename|pehash", "a.exe|ffb7a38174aab4744cc4a509e34800aee9be8e57");
        SAMPLES.put("filename|vhash", "a.exe|115056655d15151138z66hz1021z55z66z3");
        SAMPLES.put("ip-dst|port", "198.51.100.7|443");
        SAMPLES.put("ip-src|port", "2001:db8::1|8080");
        SAMPLES.put("domain|ip", "example.org|198.51.100.7");
        SAMPLES.put("hostname|port", "c2.example.org|8443");
        SAMPLES.put("regkey|value", "HKLM\\Software\\x|%DATA%\\1234|x");
        SAMPLES.put("yara", "rule demo {\n  strings: $a = \"x'y\\\\\"\n  condition: $a\n}");
        SAMPLES.put("sigma", "title: Demo\ndetection:\n  sel:\n    CommandLine: 'ps.exe -accepteula'\n  condition: sel");
        SAMPLES.put("snort", "alert tcp any any -> 198.51.100.7 443 (msg:\"demo\"; sid:1;)");
        SAMPLES.put("suricata", "alert dns any any -> any any (msg:\"DNS\"; dns.query; content:\"evil.example\"; sid:2;)");
    }

    record Row(String profile, JsonNode attribute, JsonNode indicators) {
    }

    private GoldenTable() {
    }

    static ObjectNode sampleAttribute(String type, String value) {
        ObjectNode a = JSON.createObjectNode();
        a.put("uuid", AttributeBuilder.UUID);
        a.put("type", type);
        a.put("category", "Network activity");
        a.put("value", value);
        a.put("to_ids", true);
        a.put("timestamp", String.valueOf(AttributeBuilder.TIMESTAMP));
        a.put("comment", type + " test attribute");
        a.put("event_uuid", AttributeBuilder.EVENT_UUID);
        a.put("event_info", "Golden event");
        ArrayNode tags = a.putArray("Tag");
        tags.addObject().put("name", "tlp:green").put("inherited", false);
        tags.addObject().put("name", "misp:confidence-level=\"usually-confident\"").put("inherited", true);
        tags.addObject().put("name", "malware:emotet").put("inherited", true);
        return a;
    }

    static MispAttribute toAttribute(JsonNode a) {
        List<MispTag> tags = new ArrayList<>();
        for (JsonNode t : a.path("Tag")) {
            tags.add(new MispTag(t.path("name").asText(), t.path("inherited").asBoolean()));
        }
        return new MispAttribute(text(a, "uuid"), text(a, "type"), text(a, "category"), text(a, "value"),
                a.path("to_ids").asBoolean(), a.path("deleted").asBoolean(),
                Long.parseLong(a.path("timestamp").asText("0")), null, null, text(a, "comment"), "1",
                text(a, "event_uuid"), text(a, "event_info"), null, null, text(a, "object_id"),
                text(a, "object_name"), text(a, "object_relation"), tags);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static MappingOptions options(String profile) {
        return Fixtures.options(Profile.valueOf(profile));
    }
}
