package org.mispsentinel.config;

import java.util.List;
import java.util.Locale;
import org.mispsentinel.stix.Tlp;

/**
 * Which of the attributes read from MISP one workspace gets, on top of what MISP was asked for
 * (misp.types-*, misp.tags-*): MISP is read once for all workspaces, so each one's own choice is
 * made here. Tags are matched on the attribute's own tags and its event's, ignoring case.
 *
 * @param tlpMax the most restricted TLP level the workspace may receive, or null for any
 */
public record WorkspaceFilter(List<String> typesInclude, List<String> typesExclude, List<String> tagsInclude,
                              List<String> tagsExclude, Tlp tlpMax) {

    public static final WorkspaceFilter ALL = new WorkspaceFilter(List.of(), List.of(), List.of(), List.of(), null);

    static WorkspaceFilter read(SettingsReader r) {
        Tlp max = null;
        String tlp = r.string("filter.tlp-max", "").toLowerCase(Locale.ROOT);
        if (!tlp.isEmpty()) {
            max = Tlp.fromTag("tlp:" + tlp);
            if (max == null) {
                throw new ConfigurationException(r.keyOf("filter.tlp-max"), "must be clear, white, green, amber, "
                        + "amber+strict or red");
            }
        }
        return new WorkspaceFilter(lower(r.list("filter.types-include")), lower(r.list("filter.types-exclude")),
                lower(r.list("filter.tags-include")), lower(r.list("filter.tags-exclude")), max);
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean acceptsAll() {
        return equals(ALL);
    }

    /**
     * @param tags lower-case names of the attribute's and its event's tags
     * @param tlp  the strictest TLP level among them, else the workspace's stix.default-tlp; null when
     *             there is neither, which passes any ceiling (MISP's distribution let it be shared)
     */
    public boolean accepts(String type, List<String> tags, Tlp tlp) {
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (!typesInclude.isEmpty() && !typesInclude.contains(t) || typesExclude.contains(t)) {
            return false;
        }
        if (!tagsInclude.isEmpty() && tags.stream().noneMatch(tagsInclude::contains)
                || tags.stream().anyMatch(tagsExclude::contains)) {
            return false;
        }
        return tlpMax == null || tlp == null || tlp.ordinal() <= tlpMax.ordinal();
    }
}
