package org.mispsentinel.stix;

/** The stable skip reasons of {@link MappingResult}; summaries count by them, so never reword one. */
public final class SkipReasons {
    public static final String DELETED = "deleted";
    public static final String NOT_A_PATTERN = "not-a-pattern";
    public static final String RULE_SKIPPED = "rule-skipped";
    public static final String MISSING_VALUE = "missing-value";
    public static final String VALUE_TOO_LONG = "value-too-long";
    public static final String INVALID_VALUE = "invalid-value";
    public static final String EXPIRED = "expired";
    /** A url attribute whose value is neither a URL nor a host name (a file name, a path, ...). */
    public static final String NOT_A_URL = "not-a-url";

    private SkipReasons() {
    }
}
