package org.mispsentinel.stix;

/** Which pattern shapes the mapper writes. */
public enum Profile {
    /**
     * One comparison per pattern, because Sentinel only extracts the observable it matches on from a
     * single comparison; a paired MISP value may therefore become two indicators.
     */
    SENTINEL,
    /** The compound patterns of MISP's own STIX exporter, for consumers that expect exactly those. */
    MISP_STIX
}
