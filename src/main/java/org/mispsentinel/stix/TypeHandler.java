package org.mispsentinel.stix;

/** Turns the value of one MISP type into patterns; it never sees blank, over-long or control-laden values. */
@FunctionalInterface
interface TypeHandler {
    Built build(String value);
}
