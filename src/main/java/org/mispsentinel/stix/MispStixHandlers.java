package org.mispsentinel.stix;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The {@link Profile#MISP_STIX} patterns, shaped like those of MISP's own STIX 2.1 exporter so that
 * tools fed by MISP see the same patterns. Where the exporter departs from the STIX 2.1 spec, the spec
 * wins: ports are integers (the exporter quotes them, and a typed matcher then never matches) and the
 * registry value list is indexed ({@code values[*].data}).
 */
final class MispStixHandlers {

    /** The filename|hash types, in both profiles. */
    static final Map<HashAlgorithm, String> PAIRED_HASHES;

    static {
        Map<HashAlgorithm, String> paired = new EnumMap<>(HashAlgorithm.class);
        paired.put(HashAlgorithm.MD5, "filename|md5");
        paired.put(HashAlgorithm.SHA1, "filename|sha1");
        paired.put(HashAlgorithm.SHA224, "filename|sha224");
        paired.put(HashAlgorithm.SHA256, "filename|sha256");
        paired.put(HashAlgorithm.SHA384, "filename|sha384");
        paired.put(HashAlgorithm.SHA512, "filename|sha512");
        paired.put(HashAlgorithm.SSDEEP, "filename|ssdeep");
        paired.put(HashAlgorithm.TLSH, "filename|tlsh");
        paired.put(HashAlgorithm.IMPHASH, "filename|imphash");
        paired.put(HashAlgorithm.SHA3_224, "filename|sha3-224");
        paired.put(HashAlgorithm.SHA3_256, "filename|sha3-256");
        paired.put(HashAlgorithm.SHA3_384, "filename|sha3-384");
        paired.put(HashAlgorithm.SHA3_512, "filename|sha3-512");
        paired.put(HashAlgorithm.AUTHENTIHASH, "filename|authentihash");
        paired.put(HashAlgorithm.PEHASH, "filename|pehash");
        paired.put(HashAlgorithm.VHASH, "filename|vhash");
        PAIRED_HASHES = Collections.unmodifiableMap(paired);
    }

    private MispStixHandlers() {
    }

    static Map<String, TypeSpec> build() {
        Map<String, TypeSpec> m = CommonHandlers.build();
        CommonHandlers.put(m, "ip-src", v -> ip(v, "src"));
        CommonHandlers.put(m, "ip-dst", v -> ip(v, "dst"));
        CommonHandlers.put(m, "ip-src|port", v -> ipPort(v, "src"));
        CommonHandlers.put(m, "ip-dst|port", v -> ipPort(v, "dst"));
        CommonHandlers.put(m, "email-src", v -> CommonHandlers.emailAddress(v, "email-message:from_ref.value"));
        CommonHandlers.put(m, "email-dst", v -> CommonHandlers.emailAddress(v, "email-message:to_refs[*].value"));

        for (Map.Entry<HashAlgorithm, String> entry : PAIRED_HASHES.entrySet()) {
            HashAlgorithm algorithm = entry.getKey();
            String path = "file:hashes." + algorithm.pathSegment();
            CommonHandlers.put(m, entry.getValue(), v -> {
                String[] parts = PairedValues.split(v, true);
                String why = CommonHandlers.checkFilenameHash(parts, algorithm);
                if (why != null) {
                    return Built.invalid(why);
                }
                StringBuilder p = new StringBuilder(v.length() + 64).append('[');
                Patterns.compare(p, "file:name", parts[0]).append(" AND ");
                Patterns.compare(p, path, parts[1]).append(']');
                return Built.stix(IndicatorKind.FILE_HASH, p.toString());
            });
        }
        CommonHandlers.put(m, "domain|ip", v -> {
            String[] parts = PairedValues.split(v, true);
            String why = CommonHandlers.checkDomainIp(parts);
            if (why != null) {
                return Built.invalid(why);
            }
            StringBuilder p = new StringBuilder(v.length() + 96).append('[');
            Patterns.compare(p, "domain-name:value", parts[0]).append(" AND ");
            Patterns.compare(p, "domain-name:resolves_to_refs[*].value", parts[1]).append(']');
            return Built.stix(IndicatorKind.DOMAIN, p.toString());
        });
        CommonHandlers.put(m, "hostname|port", v -> {
            String[] parts = PairedValues.split(v, true);
            String why = CommonHandlers.checkHostPort(parts);
            if (why != null) {
                return Built.invalid(why);
            }
            StringBuilder p = new StringBuilder(v.length() + 64).append('[');
            Patterns.compare(p, "domain-name:value", parts[0])
                    .append(" AND network-traffic:dst_port = ").append(ValueChecks.port(parts[1])).append(']');
            return Built.stix(IndicatorKind.DOMAIN, p.toString());
        });
        CommonHandlers.put(m, "regkey|value", v -> {
            String[] parts = PairedValues.split(v, false);
            if (parts == null || parts[0].isEmpty()) {
                return Built.invalid("expected regkey|value with a non-empty key");
            }
            StringBuilder p = new StringBuilder(v.length() + 80).append('[');
            Patterns.compare(p, "windows-registry-key:key", RegistryKeys.withFullHive(parts[0]));
            if (!parts[1].isEmpty()) {
                p.append(" AND ");
                Patterns.compare(p, "windows-registry-key:values[*].data", parts[1]);
            }
            return Built.stix(IndicatorKind.HOST_ARTIFACT, p.append(']').toString());
        });
        CommonHandlers.malwareSample(m);
        return Collections.unmodifiableMap(m);
    }

    private static Built ip(String v, String direction) {
        String why = IpAddresses.check(v);
        return why != null ? Built.invalid(why) : Built.stix(IndicatorKind.IP, networkTraffic(v, direction, -1));
    }

    private static Built ipPort(String v, String direction) {
        String[] parts = PairedValues.split(v, true);
        String why = CommonHandlers.checkIpPort(parts);
        return why != null ? Built.invalid(why)
                : Built.stix(IndicatorKind.IP, networkTraffic(parts[0], direction, ValueChecks.port(parts[1])));
    }

    /** {@code [network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '...' (AND dst_port = n)]}. */
    private static String networkTraffic(String ip, String direction, int port) {
        String ref = "network-traffic:" + direction + "_ref";
        StringBuilder p = new StringBuilder(ip.length() + 128).append('[');
        Patterns.compare(p, ref + ".type", Patterns.ipObjectType(ip)).append(" AND ");
        Patterns.compare(p, ref + ".value", ip);
        if (port >= 0) {
            p.append(" AND network-traffic:").append(direction).append("_port = ").append(port);
        }
        return p.append(']').toString();
    }
}
