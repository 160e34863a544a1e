package org.mispsentinel.standin;

/** The MISP category a given attribute type usually carries (MISP's own defaults). */
final class MispTypes {

    private MispTypes() {
    }

    static String defaultCategory(String type) {
        return switch (type) {
            case "ip-dst", "ip-src", "domain", "hostname", "url", "domain|ip", "ip-dst|port", "ip-src|port", "AS",
                    "uri", "user-agent" -> "Network activity";
            case "md5", "sha1", "sha256", "sha512", "filename", "filename|sha256", "filename|md5", "filename|sha1",
                    "email-src", "email-subject", "email-dst", "email-attachment", "vulnerability" -> "Payload delivery";
            case "mutex", "regkey", "regkey|value" -> "Artifacts dropped";
            case "link" -> "External analysis";
            default -> "Other";
        };
    }
}
