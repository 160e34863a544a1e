package org.mispsentinel.stix;

import java.util.Locale;
import java.util.Set;

/**
 * What the value of a MISP {@code url} (or {@code link}) attribute is. MISP takes any text there, and
 * real events hold host names, file names and paths in it; STIX's {@code url:value} must be a URL
 * (RFC 3986), so only a value that starts with a scheme and {@code ://} is sent as one. A value that
 * is, unambiguously, something else with a STIX object of its own goes out as that: a bare host name
 * as {@code domain-name}, a bare IP address as {@code ipv4-addr}/{@code ipv6-addr}. Anything else is
 * skipped as {@link SkipReasons#NOT_A_URL}; guessing a missing scheme could only produce a URL
 * nobody visited, and falling back to the host of a scheme-less address would flag a whole site,
 * often a compromised legitimate one, for one file on it.
 */
final class UrlValues {

    /**
     * File-name extensions that are no top-level domain (checked against IANA's root zone list of
     * May 2026), so that {@code igfxtray.exe}, syntactically a host name, is told from one. Extensions
     * that are also delegated TLDs ({@code com}, {@code zip}, {@code mov}, {@code sh}, {@code py},
     * {@code pl}, ...) are left out: such a value may be a real host, and is taken as one.
     */
    private static final Set<String> FILE_EXTENSIONS = Set.of(
            "exe", "dll", "scr", "sys", "drv", "ocx", "cpl", "pif", "bat", "cmd", "ps1", "psm1", "vbs", "vbe",
            "js", "jse", "wsf", "hta", "lnk", "msi", "msp", "jar", "class", "apk", "elf", "bin", "dat", "tmp",
            "bak", "log", "txt", "ini", "cfg", "reg", "db", "xml", "json", "csv", "doc", "docx", "docm", "xls",
            "xlsx", "xlsm", "ppt", "pptx", "pdf", "rtf", "rar", "gz", "tar", "7z", "iso", "img", "dmg", "deb",
            "rpm", "swf", "php", "asp", "aspx", "jsp", "cgi", "htm", "html", "png", "jpg", "jpeg", "gif", "dmp");

    private UrlValues() {
    }

    /** The indicator a url value makes, or the reason it makes none. */
    static Built build(String v) {
        if (isUrl(v)) {
            return Built.stix(IndicatorKind.URL, Patterns.single("url:value", v));
        }
        if (v.indexOf('/') < 0 && IpAddresses.check(v) == null) {
            return Built.stix(IndicatorKind.IP, Patterns.ip(v));
        }
        String why = notUrl(v);
        return why == null ? Built.stix(IndicatorKind.DOMAIN, Patterns.single("domain-name:value", v))
                : Built.skip(SkipReasons.NOT_A_URL, why);
    }

    /** Null when {@code v} is a URL, else what it is instead; for a url object's {@code url} member. */
    static String checkUrl(String v) {
        if (isUrl(v)) {
            return null;
        }
        String why = notUrl(v);
        return why != null ? why : "a host name, not a URL";
    }

    /** RFC 3986's scheme ({@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )}), then {@code ://} and more. */
    static boolean isUrl(String v) {
        int colon = v.indexOf("://");
        if (colon < 1 || colon + 3 >= v.length() || !isAsciiLetter(v.charAt(0))) {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = v.charAt(i);
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** Null for a host name; else why {@code v}, which is no URL, is no host name either. */
    private static String notUrl(String v) {
        if (v.contains("://")) {
            return "no scheme before '://', or nothing after it";
        }
        if (v.indexOf('/') >= 0 || v.indexOf('\\') >= 0) {
            return "no scheme: a path, or an address whose scheme cannot be told";
        }
        if (ValueChecks.checkDomain(v) != null) {
            return "neither a URL (scheme://...) nor a host name";
        }
        String last = v.substring(v.lastIndexOf('.', v.length() - 2) + 1).toLowerCase(Locale.ROOT);
        if (last.endsWith(".")) {
            last = last.substring(0, last.length() - 1);
        }
        return FILE_EXTENSIONS.contains(last) ? "a file name (." + last + "), not a URL" : null;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
