package org.mispsentinel.misp;

/**
 * An element of a MISP page that could not be read as an attribute. It is skipped and counted; the
 * timestamp, when it could be read, still lets the checkpoint move past it.
 *
 * @param uuid   the attribute uuid, or {@code "?"} when even that was unreadable
 */
public record MalformedAttribute(String uuid, String reason) implements MispRecord {
}
