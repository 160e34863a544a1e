package org.mispsentinel.stix;

import java.util.ArrayList;
import java.util.List;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispObject;

/**
 * One example per MISP object template that the misp-stix profile turns into one indicator, with the
 * pattern it must give: checked by {@link ObjectIndicatorTest} and printed in docs/mapping.md by
 * {@link MappingTableTest}.
 */
final class ObjectSamples {

    static final String OBJECT_UUID = "0b3ce6aa-7d13-4598-89df-292867dc711b";
    static final String MD5 = "8764605c6f388c89096b534d33565802";
    static final String SHA1 = "46aba99aa7158e4609aaa72b50990842fd22ae86";
    static final String SHA256 = "ec5aedf5ecc6bdadd4120932170d1b10f6cfa175cfda22951dfd882928ab279b";

    record Sample(String template, String metaCategory, List<MispAttribute> members, String pattern) {
        MispObject object() {
            return ObjectSamples.object(template, metaCategory, members);
        }

        @Override
        public String toString() {
            return template;
        }
    }

    static final List<Sample> ALL = List.of(
            sample("file", "file", new String[][] {
                    m("md5", "md5", MD5, true), m("sha1", "sha1", SHA1, true), m("sha256", "sha256", SHA256, true),
                    m("filename", "filename", "invoice.exe", true), m("size-in-bytes", "size-in-bytes", "35", true),
                    m("mimetype", "mime-type", "application/zip", false)},
                    "[file:hashes.MD5 = '" + MD5 + "' AND file:hashes.'SHA-1' = '" + SHA1
                            + "' AND file:hashes.'SHA-256' = '" + SHA256 + "' AND file:name = 'invoice.exe'"
                            + " AND file:size = 35]"),
            sample("domain-ip", "network", new String[][] {
                    m("ip", "ip-dst", "198.51.100.7", true), m("domain", "domain", "example.org", true),
                    m("ip", "ip-dst", "2001:db8::1", true), m("port", "port", "443", false)},
                    "[domain-name:value = 'example.org' AND domain-name:resolves_to_refs[*].value = '198.51.100.7'"
                            + " AND domain-name:resolves_to_refs[*].value = '2001:db8::1']"),
            sample("ip-port", "network", new String[][] {
                    m("dst-port", "port", "443", true), m("ip-dst", "ip-dst", "198.51.100.7", true),
                    m("domain", "domain", "example.org", true)},
                    "[(network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '198.51.100.7')"
                            + " AND (network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value"
                            + " = 'example.org') AND network-traffic:dst_port = 443]"),
            sample("url", "network", new String[][] {
                    m("url", "url", "https://example.org/team", true), m("domain", "domain", "example.org", true)},
                    "[url:value = 'https://example.org/team']"),
            sample("email", "network", new String[][] {
                    m("to", "email-dst", "b@example.org", true), m("from", "email-src", "a@example.org", true),
                    m("to", "email-dst", "c@example.org", true), m("subject", "email-subject", "Invoice", true),
                    m("reply-to", "email-reply-to", "r@example.org", true), m("x-mailer", "email-x-mailer", "Mailer 1", true),
                    m("user-agent", "text", "Mozilla", true)},
                    "[email-message:from_ref.value = 'a@example.org' AND email-message:to_refs[*].value = 'b@example.org'"
                            + " AND email-message:to_refs[*].value = 'c@example.org' AND email-message:subject = 'Invoice'"
                            + " AND email-message:additional_header_fields.'Reply-To' = 'r@example.org'"
                            + " AND email-message:additional_header_fields.'X-Mailer' = 'Mailer 1']"),
            sample("x509", "network", new String[][] {
                    m("subject", "text", "CN=example.org", true), m("x509-fingerprint-sha1", "x509-fingerprint-sha1", SHA1, true),
                    m("issuer", "text", "CN=Example CA", true), m("serial-number", "text", "1234567890", true)},
                    "[x509-certificate:hashes.'SHA-1' = '" + SHA1 + "' AND x509-certificate:issuer = 'CN=Example CA'"
                            + " AND x509-certificate:serial_number = '1234567890' AND x509-certificate:subject = 'CN=example.org']"),
            sample("registry-key", "misc", new String[][] {
                    m("key", "regkey", "HKLM\\Software\\Run", true), m("data", "text", "%DATA%\\qwerty", true),
                    m("name", "text", "Updater", true), m("hive", "text", "hklm", true)},
                    "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\Run' AND windows-registry-key:values[*].name = 'Updater'"
                            + " AND windows-registry-key:values[*].data = '%DATA%\\\\qwerty']"),
            sample("network-connection", "network", new String[][] {
                    m("ip-src", "ip-src", "198.51.100.1", true), m("ip-dst", "ip-dst", "203.0.113.5", true),
                    m("dst-port", "port", "8080", true), m("layer4-protocol", "text", "TCP", true),
                    m("layer7-protocol", "text", "HTTP", true)},
                    "[(network-traffic:src_ref.type = 'ipv4-addr' AND network-traffic:src_ref.value = '198.51.100.1')"
                            + " AND (network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.5')"
                            + " AND network-traffic:dst_port = 8080 AND network-traffic:protocols[*] = 'tcp'"
                            + " AND network-traffic:protocols[*] = 'http']"));

    private ObjectSamples() {
    }

    static List<Sample> samples() {
        return ALL;
    }

    private static Sample sample(String template, String metaCategory, String[][] specs, String pattern) {
        return new Sample(template, metaCategory, members(template, specs), pattern);
    }

    /** {relation, MISP type, value, to_ids}. */
    static String[] m(String relation, String type, String value, boolean toIds) {
        return new String[] {relation, type, value, Boolean.toString(toIds)};
    }

    static List<MispAttribute> members(String template, String[]... specs) {
        List<MispAttribute> out = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            String[] s = specs[i];
            out.add(AttributeBuilder.attribute(s[1], s[2]).uuid(String.format("00000000-0000-4000-8000-%012d", i + 1))
                    .toIds(Boolean.parseBoolean(s[3])).object("7", template, s[0]).build());
        }
        return out;
    }

    static MispObject object(String template, String metaCategory, List<MispAttribute> members) {
        return new MispObject("7", OBJECT_UUID, template, metaCategory, "", AttributeBuilder.TIMESTAMP, false, members);
    }
}
