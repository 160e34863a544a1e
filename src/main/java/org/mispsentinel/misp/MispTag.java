package org.mispsentinel.misp;

/** A MISP tag; {@code inherited} is true for event tags copied onto the attribute. */
public record MispTag(String name, boolean inherited) {
}
