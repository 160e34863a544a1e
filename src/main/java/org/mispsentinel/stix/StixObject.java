package org.mispsentinel.stix;

/** Anything the upload APIs take: indicators, and with the STIX objects API their context. */
public interface StixObject {

    String id();

    String type();
}
