package org.mispsentinel.misp;

import java.util.List;

/**
 * One page of {@code /attributes/restSearch}.
 *
 * @param resultCount MISP's {@code X-Result-Count} (all matches, not this page), or -1 when absent
 */
public record MispPage(List<MispRecord> records, long resultCount) {
}
