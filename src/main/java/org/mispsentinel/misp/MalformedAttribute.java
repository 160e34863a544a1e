package org.mispsentinel.misp;

/**
 * An element of a MISP page that could not be read as an attribute. It is skipped, logged and
 * counted by type and reason.
 *
 * @param uuid   the attribute uuid, or {@code "?"} when even that was unreadable
 * @param type   the MISP type when it could be read, else {@code "?"}
 * @param reason short and stable, for the counts: {@code malformed-uuid}, {@code missing-field},
 *               {@code wrong-json-type}, {@code malformed-timestamp}, {@code malformed-id}, {@code malformed-date},
 *               {@code not-an-object}
 * @param detail what exactly was wrong, for the log line
 */
public record MalformedAttribute(String uuid, String type, String reason, String detail) implements MispRecord {

    @Override
    public boolean malformed() {
        return true;
    }
}
