package org.mispsentinel.stix;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Types whose pattern is the same single comparison in both profiles. */
final class CommonHandlers {

    static final String[] RULE_TYPES = {"yara", "sigma", "snort", "suricata"};

    private CommonHandlers() {
    }

    static Map<String, TypeSpec> build() {
        Map<String, TypeSpec> m = new LinkedHashMap<>();
        TypeHandler domain = v -> {
            String why = ValueChecks.checkDomain(v);
            return why != null ? Built.invalid(why) : Built.stix(IndicatorKind.DOMAIN, Patterns.single("domain-name:value", v));
        };
        put(m, "domain", domain);
        put(m, "hostname", domain);

        put(m, "url", UrlValues::build);
        m.put("link", new TypeSpec("link", "misp:type=\"link\"", false, true, UrlValues::build));
        // MISP's uri holds a URI reference, usually a bare path; STIX 2.1 (6.15) has url:value be a URL
        put(m, "uri", v -> {
            String why = ValueChecks.checkUri(v);
            if (why != null) {
                return Built.invalid(why);
            }
            return UrlValues.isUrl(v) ? Built.stix(IndicatorKind.URL, Patterns.single("url:value", v))
                    : Built.skip(SkipReasons.NOT_A_URL, "a URI reference without a scheme (a path), and STIX's "
                            + "url:value must be a whole URL");
        });

        put(m, "email", v -> emailAddress(v, "email-addr:value"));
        put(m, "email-subject", v -> Built.stix(IndicatorKind.EMAIL, Patterns.single("email-message:subject", v)));
        put(m, "email-message-id", v -> Built.stix(IndicatorKind.EMAIL, Patterns.single("email-message:message_id", v)));
        // additional_header_fields is keyed by the header's own name (STIX 2.1, email-message)
        put(m, "email-reply-to", v -> emailAddress(v, "email-message:additional_header_fields.'Reply-To'"));
        put(m, "email-x-mailer", v -> Built.stix(IndicatorKind.EMAIL,
                Patterns.single("email-message:additional_header_fields.'X-Mailer'", v)));

        hash(m, "md5", HashAlgorithm.MD5);
        hash(m, "sha1", HashAlgorithm.SHA1);
        hash(m, "sha224", HashAlgorithm.SHA224);
        hash(m, "sha256", HashAlgorithm.SHA256);
        hash(m, "sha384", HashAlgorithm.SHA384);
        hash(m, "sha512", HashAlgorithm.SHA512);
        for (HashAlgorithm algorithm : HashAlgorithm.values()) {
            hash(m, algorithm.mispType(), algorithm);
        }

        put(m, "filename", v -> Built.stix(IndicatorKind.FILE_NAME, Patterns.single("file:name", v)));
        put(m, "mutex", v -> Built.stix(IndicatorKind.HOST_ARTIFACT, Patterns.single("mutex:name", v)));
        put(m, "regkey", v -> Built.stix(IndicatorKind.HOST_ARTIFACT, Patterns.single("windows-registry-key:key", RegistryKeys.withFullHive(v))));

        put(m, "AS", v -> {
            long number = ValueChecks.asNumber(v);
            return number < 0 ? Built.invalid("AS number must be an integer within 0..4294967295")
                    : Built.stix(IndicatorKind.NETWORK_OTHER, Patterns.singleInt("autonomous-system:number", number));
        });
        put(m, "mac-address", v -> {
            String mac = ValueChecks.normalizeMac(v);
            return mac == null ? Built.invalid("MAC address must be six hex pairs separated by ':' or '-'")
                    : Built.stix(IndicatorKind.NETWORK_OTHER, Patterns.single("mac-addr:value", mac));
        });
        x509(m, "x509-fingerprint-md5", HashAlgorithm.MD5);
        x509(m, "x509-fingerprint-sha1", HashAlgorithm.SHA1);
        x509(m, "x509-fingerprint-sha256", HashAlgorithm.SHA256);
        put(m, "user-agent", v -> Built.stix(IndicatorKind.NETWORK_OTHER, Patterns.single(Patterns.USER_AGENT_PATH, v)));

        for (String language : RULE_TYPES) {
            m.put(language, new TypeSpec(language, "misp:type=\"" + language + "\"", true, false,
                    v -> Built.rule(language, v)));
        }
        return m;
    }

    static Built emailAddress(String v, String path) {
        String why = ValueChecks.checkEmail(v);
        return why != null ? Built.invalid(why) : Built.stix(IndicatorKind.EMAIL, Patterns.single(path, v));
    }

    /** Null when both halves of a filename|hash value are usable, else why not. */
    static String checkFilenameHash(String[] parts, HashAlgorithm algorithm) {
        if (parts == null) {
            return "expected filename|hash";
        }
        if (parts[0].isEmpty()) {
            return "file name part is empty";
        }
        return algorithm.check(parts[1]);
    }

    /** Null when an ip|port value is usable, else why not. */
    static String checkIpPort(String[] parts) {
        return checkWithPort(parts, "expected ip|port", IpAddresses::check);
    }

    /** Null when a hostname|port value is usable, else why not. */
    static String checkHostPort(String[] parts) {
        return checkWithPort(parts, "expected hostname|port", ValueChecks::checkDomain);
    }

    private static String checkWithPort(String[] parts, String expected, Function<String, String> checkHost) {
        if (parts == null) {
            return expected;
        }
        String why = checkHost.apply(parts[0]);
        return why != null ? why : ValueChecks.checkPort(parts[1]);
    }

    /** Null when a domain|ip value is usable, else why not. */
    static String checkDomainIp(String[] parts) {
        if (parts == null) {
            return "expected domain|ip";
        }
        String why = ValueChecks.checkDomain(parts[0]);
        return why != null ? why : IpAddresses.check(parts[1]);
    }

    static void put(Map<String, TypeSpec> m, String type, TypeHandler handler) {
        m.put(type, TypeSpec.of(type, handler));
    }

    /**
     * MISP's {@code malware-sample} holds "filename|md5" as its value (the sample itself is an
     * attachment, not in the value): it maps as {@code filename|md5} does, under its own type label.
     */
    static void malwareSample(Map<String, TypeSpec> m) {
        put(m, "malware-sample", m.get("filename|md5").handler());
    }

    /** {@code [<path> = '<hash>']} for a value of {@code algorithm}'s shape. */
    static TypeHandler hashed(HashAlgorithm algorithm, String path, IndicatorKind kind) {
        return v -> {
            String why = algorithm.check(v);
            return why != null ? Built.invalid(why) : Built.stix(kind, Patterns.single(path, v));
        };
    }

    private static void hash(Map<String, TypeSpec> m, String type, HashAlgorithm algorithm) {
        put(m, type, hashed(algorithm, "file:hashes." + algorithm.pathSegment(), IndicatorKind.FILE_HASH));
    }

    private static void x509(Map<String, TypeSpec> m, String type, HashAlgorithm algorithm) {
        put(m, type, hashed(algorithm, "x509-certificate:hashes." + algorithm.pathSegment(), IndicatorKind.CERTIFICATE));
    }
}
