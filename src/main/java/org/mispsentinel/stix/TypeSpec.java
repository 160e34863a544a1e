package org.mispsentinel.stix;

/**
 * Everything about one MISP type that does not depend on the attribute, computed once.
 *
 * @param typeLabel      the {@code misp:type="..."} label, built once instead of per attribute
 * @param rule           a yara/sigma/snort/suricata text rather than an observable
 * @param requiresToIds  only an indicator when MISP flags it for detection ({@code link})
 */
record TypeSpec(String type, String typeLabel, boolean rule, boolean requiresToIds, TypeHandler handler) {

    static TypeSpec of(String type, TypeHandler handler) {
        return new TypeSpec(type, "misp:type=\"" + type + "\"", false, false, handler);
    }
}
