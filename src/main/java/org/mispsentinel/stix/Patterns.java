package org.mispsentinel.stix;

/** Pattern text assembly shared by both profiles. */
final class Patterns {

    static final String USER_AGENT_PATH =
            "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'";

    private Patterns() {
    }

    /** {@code [path = 'value']}. */
    static String single(String path, String value) {
        StringBuilder out = new StringBuilder(path.length() + value.length() + 8);
        out.append('[').append(path).append(" = ");
        StixLiterals.appendString(out, value);
        return out.append(']').toString();
    }

    /** {@code [path = 123]} for integer properties. */
    static String singleInt(String path, long value) {
        return "[" + path + " = " + value + "]";
    }

    /** Appends {@code path = 'value'} to a pattern under construction. */
    static StringBuilder compare(StringBuilder out, String path, String value) {
        out.append(path).append(" = ");
        StixLiterals.appendString(out, value);
        return out;
    }

    /** {@code [ipv4-addr:value = '...']}, or ipv6-addr for an IPv6 address. */
    static String ip(String ip) {
        return single(ipObjectType(ip) + ":value", ip);
    }

    static String ipObjectType(String ip) {
        return IpAddresses.isIpv6Text(ip) ? "ipv6-addr" : "ipv4-addr";
    }
}
