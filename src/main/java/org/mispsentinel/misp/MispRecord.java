package org.mispsentinel.misp;

/** What one element of a MISP page turned into: a usable attribute or the reason it is not. */
public sealed interface MispRecord permits MispAttribute, MalformedAttribute {

    /** For the routes: true when this element could not be read as an attribute. */
    boolean malformed();
}
