package org.mispsentinel.stix;

import java.util.List;

/** Allow/deny prefixes for labels, compared ignoring case because MISP tags come in any case. */
final class LabelFilter {

    private final String[] allow;
    private final String[] deny;

    LabelFilter(List<String> allow, List<String> deny) {
        this.allow = allow.toArray(new String[0]);
        this.deny = deny.toArray(new String[0]);
    }

    boolean keeps(String label) {
        if (allow.length > 0 && !startsWithAny(label, allow)) {
            return false;
        }
        return !startsWithAny(label, deny);
    }

    private static boolean startsWithAny(String label, String[] prefixes) {
        for (String prefix : prefixes) {
            if (label.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }
}
