package org.mispsentinel.stix;

/**
 * IPv4/IPv6 address and CIDR syntax. Hand-written on purpose: {@code InetAddress.getByName} would
 * resolve anything that is not a literal, sending attacker-chosen names to DNS.
 */
final class IpAddresses {

    private IpAddresses() {
    }

    /** Null when {@code s} is an IPv4 or IPv6 address, optionally with a /prefix; else why not. */
    static String check(String s) {
        int slash = s.indexOf('/');
        int end = slash < 0 ? s.length() : slash;
        boolean v6 = s.indexOf(':') >= 0;
        boolean ok = v6 ? isIpv6(s, 0, end) : isIpv4(s, 0, end);
        if (!ok) {
            return v6 ? "not an IPv6 address" : "not an IPv4 address";
        }
        if (slash >= 0) {
            int prefix = smallNumber(s, slash + 1, s.length());
            if (prefix < 0 || prefix > (v6 ? 128 : 32)) {
                return "CIDR prefix must be 0.." + (v6 ? 128 : 32);
            }
        }
        return null;
    }

    static boolean isIpv6Text(String s) {
        return s.indexOf(':') >= 0;
    }

    /** Dotted quad; leading zeros are refused because some parsers read them as octal. */
    static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 4) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 3 || value > 255 || (len > 1 && s.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /** RFC 4291 text forms: eight groups, one "::" abbreviation, optional dotted-quad tail; no zone id. */
    static boolean isIpv6(String s, int from, int to) {
        if (to - from < 2) {
            return false;
        }
        int i = from;
        int groups = 0;
        boolean compressed = false;
        if (s.charAt(i) == ':') {
            if (s.charAt(i + 1) != ':') {
                return false;
            }
            compressed = true;
            i += 2;
            if (i == to) {
                return true;
            }
        }
        while (true) {
            int start = i;
            while (i < to && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                if (!isIpv4(s, start, to)) {
                    return false;
                }
                groups += 2;
                break;
            }
            int len = i - start;
            if (len == 0 || len > 4) {
                return false;
            }
            groups++;
            if (groups > 8) {
                return false;
            }
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i == to) {
                return false;
            }
            if (s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
                if (i == to) {
                    break;
                }
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    /** A decimal without sign or leading zeros, at most 3 digits; -1 when it is not one. */
    private static int smallNumber(String s, int from, int to) {
        int len = to - from;
        if (len < 1 || len > 3 || (len > 1 && s.charAt(from) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
