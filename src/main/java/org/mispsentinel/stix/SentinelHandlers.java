package org.mispsentinel.stix;

import java.util.Collections;
import java.util.Map;

/**
 * The {@link Profile#SENTINEL} patterns: one comparison each, because Sentinel extracts the
 * observable it matches on only from such patterns. A paired value keeps its detectable half (both,
 * for domain|ip); the other half stays visible in the indicator's name.
 */
final class SentinelHandlers {

    private SentinelHandlers() {
    }

    static Map<String, TypeSpec> build() {
        Map<String, TypeSpec> m = CommonHandlers.build();
        TypeHandler ip = v -> {
            String why = IpAddresses.check(v);
            return why != null ? Built.invalid(why) : Built.stix(IndicatorKind.IP, Patterns.ip(v));
        };
        CommonHandlers.put(m, "ip-src", ip);
        CommonHandlers.put(m, "ip-dst", ip);
        CommonHandlers.put(m, "email-src", v -> CommonHandlers.emailAddress(v, "email-addr:value"));
        CommonHandlers.put(m, "email-dst", v -> CommonHandlers.emailAddress(v, "email-addr:value"));

        for (HashAlgorithm algorithm : MispStixHandlers.PAIRED_HASHES.keySet()) {
            String type = MispStixHandlers.PAIRED_HASHES.get(algorithm);
            String path = "file:hashes." + algorithm.pathSegment();
            CommonHandlers.put(m, type, v -> {
                String[] parts = PairedValues.split(v, true);
                String why = CommonHandlers.checkFilenameHash(parts, algorithm);
                return why != null ? Built.invalid(why) : Built.stix(IndicatorKind.FILE_HASH, Patterns.single(path, parts[1]));
            });
        }
        TypeHandler ipPort = v -> {
            String[] parts = PairedValues.split(v, true);
            String why = CommonHandlers.checkIpPort(parts);
            return why != null ? Built.invalid(why) : Built.stix(IndicatorKind.IP, Patterns.ip(parts[0]));
        };
        CommonHandlers.put(m, "ip-dst|port", ipPort);
        CommonHandlers.put(m, "ip-src|port", ipPort);
        CommonHandlers.put(m, "domain|ip", v -> {
            String[] parts = PairedValues.split(v, true);
            String why = CommonHandlers.checkDomainIp(parts);
            return why != null ? Built.invalid(why)
                    : Built.stix(IndicatorKind.DOMAIN, Patterns.single("domain-name:value", parts[0]),
                            "ip", IndicatorKind.IP, Patterns.ip(parts[1]));
        });
        CommonHandlers.put(m, "hostname|port", v -> {
            String[] parts = PairedValues.split(v, true);
            String why = CommonHandlers.checkHostPort(parts);
            return why != null ? Built.invalid(why)
                    : Built.stix(IndicatorKind.DOMAIN, Patterns.single("domain-name:value", parts[0]));
        });
        CommonHandlers.put(m, "regkey|value", v -> {
            String[] parts = PairedValues.split(v, false);
            if (parts == null || parts[0].isEmpty()) {
                return Built.invalid("expected regkey|value with a non-empty key");
            }
            return Built.stix(IndicatorKind.HOST_ARTIFACT, Patterns.single("windows-registry-key:key", RegistryKeys.withFullHive(parts[0])));
        });
        CommonHandlers.malwareSample(m);
        return Collections.unmodifiableMap(m);
    }
}
