package org.mispsentinel.misp;

/** What one element of a MISP page turned into: a usable attribute or the reason it is not. */
public sealed interface MispRecord permits MispAttribute, MalformedAttribute {
}
