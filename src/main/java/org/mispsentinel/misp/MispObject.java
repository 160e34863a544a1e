package org.mispsentinel.misp;

import java.util.List;

/**
 * A MISP object (a {@code file}, an {@code ip-port}, ...) as {@code /objects/view} returns it: the
 * template's name and the attributes it groups, each with its relation.
 *
 * @param attributes the members that could be read; a malformed member is left out here and
 *                   reported when it comes through the attribute feed itself
 */
public record MispObject(String id, String uuid, String name, String metaCategory, String comment, long timestamp,
                         boolean deleted, List<MispAttribute> attributes) {

    public MispObject {
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
    }

    /**
     * Whether this copy already holds {@code attribute} as it is now: a copy fetched before the
     * attribute was last changed would build an indicator from its old value. MISP leaves a
     * soft-deleted member out of its object (objects/view and objects/restSearch, observed on 2.5.1),
     * so for one the copy is as current as any MISP gives: asking again would cost a request on every
     * read of it and bring the same copy.
     */
    public boolean isCurrentFor(MispAttribute attribute) {
        for (MispAttribute member : attributes) {
            if (member.uuid().equals(attribute.uuid())) {
                return member.timestamp() >= attribute.timestamp();
            }
        }
        return attribute.deleted();
    }
}
