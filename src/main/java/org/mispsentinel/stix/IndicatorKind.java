package org.mispsentinel.stix;

/**
 * Groups of indicators that age alike, so that a TTL can differ per group: an IP address goes stale
 * in days, a file hash stays true for years.
 */
public enum IndicatorKind {
    IP,
    DOMAIN,
    URL,
    EMAIL,
    FILE_HASH,
    FILE_NAME,
    HOST_ARTIFACT,
    NETWORK_OTHER,
    CERTIFICATE,
    RULE
}
