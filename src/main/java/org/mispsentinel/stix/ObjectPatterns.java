package org.mispsentinel.stix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@link Profile#MISP_STIX} patterns of MISP objects: the templates MISP's STIX exporter turns
 * into one indicator, each object relation the comparison it becomes there. Comparisons follow the
 * table's order, and values of one relation their sorted order, never the attributes' order, so an
 * unchanged object always gives the same pattern. As for single attributes, the STIX spec wins where the exporter departs from it: ports and
 * sizes are integers, list properties use {@code [*]}, e-mail headers keep their header names.
 * Relations the exporter writes as custom {@code x_misp_*} properties are left out: no Sentinel
 * observation carries them, so such a comparison could only stop the indicator from ever matching.
 */
final class ObjectPatterns {

    /** One comparison (or a parenthesised pair of them) made of one member's value. */
    private record Term(Function<String, String> check, Function<String, String> write) {
    }

    private record Template(IndicatorKind kind, Map<String, Term> terms) {
    }

    /** An object's pattern, and the values it compares, in the pattern's order. */
    record Pattern(String text, IndicatorKind kind, List<String> values) {
    }

    private static final Map<String, Template> TEMPLATES = build();

    private ObjectPatterns() {
    }

    /** Object templates that become one compound indicator. */
    static Set<String> templates() {
        return TEMPLATES.keySet();
    }

    /** The relations of template {@code objectName} that have a place in its pattern, in pattern order. */
    static List<String> relations(String objectName) {
        return List.copyOf(TEMPLATES.get(objectName).terms.keySet());
    }

    /** Whether {@code relation} of template {@code objectName} has a place in its pattern. */
    static boolean hasTerm(String objectName, String relation) {
        Template template = TEMPLATES.get(objectName);
        return template != null && relation != null && template.terms.containsKey(relation);
    }

    /** Null when {@code value} is usable as the {@code relation} of the object, else why not. */
    static String check(String objectName, String relation, String value) {
        Term term = TEMPLATES.get(objectName).terms.get(relation);
        String why = ValueChecks.checkCharacters(value);
        return why != null ? why : term.check.apply(value);
    }

    /**
     * The pattern of the members given as (relation, value) pairs, each already checked; null when
     * none of them has a term.
     */
    static Pattern pattern(String objectName, List<String[]> members) {
        Template template = TEMPLATES.get(objectName);
        List<String> comparisons = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, Term> entry : template.terms.entrySet()) {
            // sorted, so that whichever member comes first, the object gives the same pattern
            TreeSet<String> sameRelation = new TreeSet<>();
            for (String[] member : members) {
                if (member[0].equals(entry.getKey())) {
                    sameRelation.add(member[1]);
                }
            }
            for (String value : sameRelation) {
                String comparison = entry.getValue().write.apply(value);
                if (!comparisons.contains(comparison)) {
                    comparisons.add(comparison);
                    values.add(value);
                }
            }
        }
        return comparisons.isEmpty() ? null
                : new Pattern("[" + String.join(" AND ", comparisons) + "]", template.kind, List.copyOf(values));
    }

    private static Map<String, Template> build() {
        Map<String, Template> t = new HashMap<>();

        Map<String, Term> file = new LinkedHashMap<>();
        for (HashAlgorithm algorithm : HashAlgorithm.values()) {
            file.put(algorithm.mispType(), new Term(algorithm::check, text("file:hashes." + algorithm.pathSegment())));
        }
        file.put("filename", new Term(v -> null, text("file:name")));
        file.put("mime-type", new Term(v -> null, text("file:mime_type")));
        file.put("size-in-bytes", new Term(ObjectPatterns::checkSize, v -> "file:size = " + Long.parseLong(v)));
        file.put("path", new Term(v -> null, text("file:parent_directory_ref.path")));
        t.put("file", new Template(IndicatorKind.FILE_HASH, file));

        Map<String, Term> domainIp = new LinkedHashMap<>();
        domainIp.put("domain", new Term(ValueChecks::checkDomain, text("domain-name:value")));
        domainIp.put("hostname", new Term(ValueChecks::checkDomain, text("domain-name:value")));
        domainIp.put("ip", new Term(IpAddresses::check, text("domain-name:resolves_to_refs[*].value")));
        t.put("domain-ip", new Template(IndicatorKind.DOMAIN, domainIp));

        Map<String, Term> ipPort = new LinkedHashMap<>();
        ipPort.put("ip", address("dst"));
        ipPort.put("ip-dst", address("dst"));
        ipPort.put("ip-src", address("src"));
        ipPort.put("domain", host("dst"));
        ipPort.put("hostname", host("dst"));
        ipPort.put("dst-port", port("dst"));
        ipPort.put("src-port", port("src"));
        t.put("ip-port", new Template(IndicatorKind.IP, ipPort));

        Map<String, Term> url = new LinkedHashMap<>();
        url.put("url", new Term(UrlValues::checkUrl, text("url:value")));
        t.put("url", new Template(IndicatorKind.URL, url));

        Map<String, Term> email = new LinkedHashMap<>();
        email.put("from", new Term(ValueChecks::checkEmail, text("email-message:from_ref.value")));
        email.put("to", new Term(ValueChecks::checkEmail, text("email-message:to_refs[*].value")));
        email.put("cc", new Term(ValueChecks::checkEmail, text("email-message:cc_refs[*].value")));
        email.put("bcc", new Term(ValueChecks::checkEmail, text("email-message:bcc_refs[*].value")));
        email.put("subject", new Term(v -> null, text("email-message:subject")));
        email.put("message-id", new Term(v -> null, text("email-message:message_id")));
        email.put("reply-to", new Term(ValueChecks::checkEmail, text("email-message:additional_header_fields.'Reply-To'")));
        email.put("x-mailer", new Term(v -> null, text("email-message:additional_header_fields.'X-Mailer'")));
        t.put("email", new Template(IndicatorKind.EMAIL, email));

        Map<String, Term> x509 = new LinkedHashMap<>();
        x509.put("x509-fingerprint-md5", certificateHash(HashAlgorithm.MD5));
        x509.put("x509-fingerprint-sha1", certificateHash(HashAlgorithm.SHA1));
        x509.put("x509-fingerprint-sha256", certificateHash(HashAlgorithm.SHA256));
        x509.put("issuer", new Term(v -> null, text("x509-certificate:issuer")));
        x509.put("serial-number", new Term(v -> null, text("x509-certificate:serial_number")));
        x509.put("subject", new Term(v -> null, text("x509-certificate:subject")));
        t.put("x509", new Template(IndicatorKind.CERTIFICATE, x509));

        Map<String, Term> registry = new LinkedHashMap<>();
        registry.put("key", new Term(v -> null, v -> compare("windows-registry-key:key", RegistryKeys.withFullHive(v))));
        registry.put("name", new Term(v -> null, text("windows-registry-key:values[*].name")));
        registry.put("data", new Term(v -> null, text("windows-registry-key:values[*].data")));
        registry.put("data-type", new Term(v -> null, text("windows-registry-key:values[*].data_type")));
        t.put("registry-key", new Template(IndicatorKind.HOST_ARTIFACT, registry));

        Map<String, Term> connection = new LinkedHashMap<>();
        connection.put("ip-src", address("src"));
        connection.put("hostname-src", host("src"));
        connection.put("ip-dst", address("dst"));
        connection.put("hostname-dst", host("dst"));
        connection.put("dst-port", port("dst"));
        connection.put("src-port", port("src"));
        for (String layer : new String[] {"layer3-protocol", "layer4-protocol", "layer7-protocol"}) {
            connection.put(layer, new Term(ObjectPatterns::checkProtocol,
                    v -> compare("network-traffic:protocols[*]", v.toLowerCase(Locale.ROOT))));
        }
        t.put("network-connection", new Template(IndicatorKind.IP, connection));
        return Map.copyOf(t);
    }

    private static Function<String, String> text(String path) {
        return v -> compare(path, v);
    }

    private static String compare(String path, String value) {
        return Patterns.compare(new StringBuilder(path.length() + value.length() + 8), path, value).toString();
    }

    /** {@code (network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '...')}. */
    private static Term address(String direction) {
        String ref = "network-traffic:" + direction + "_ref";
        return new Term(IpAddresses::check, v -> "(" + compare(ref + ".type", Patterns.ipObjectType(v)) + " AND "
                + compare(ref + ".value", v) + ")");
    }

    private static Term host(String direction) {
        String ref = "network-traffic:" + direction + "_ref";
        return new Term(ValueChecks::checkDomain, v -> "(" + compare(ref + ".type", "domain-name") + " AND "
                + compare(ref + ".value", v) + ")");
    }

    private static Term port(String direction) {
        return new Term(ValueChecks::checkPort, v -> "network-traffic:" + direction + "_port = " + ValueChecks.port(v));
    }

    private static Term certificateHash(HashAlgorithm algorithm) {
        return new Term(algorithm::check, text("x509-certificate:hashes." + algorithm.pathSegment()));
    }

    private static String checkSize(String v) {
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "size must be a non-negative integer";
        }
        return null;
    }

    /** Protocol names go into the pattern lower-cased, as STIX lists them (tcp, http, ipv4, ...). */
    private static String checkProtocol(String v) {
        if (v.isEmpty() || v.length() > 32 || !v.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            return "protocol must be a short name such as tcp or http";
        }
        return null;
    }
}
