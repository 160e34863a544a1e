package org.mispsentinel.stix;

/** What to do with yara, sigma, snort and suricata attributes, which are rules rather than observables. */
public enum RuleHandling {
    /** Send the raw rule text with {@code pattern_type} set to its language. */
    SEND,
    /** Skip with reason {@code rule-skipped}, for consumers that only evaluate STIX patterns. */
    SKIP
}
