package org.mispsentinel.stix;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared options: a fixed clock a little after {@link AttributeBuilder#TIMESTAMP}. */
final class Fixtures {

    /** 2024-01-01T00:00:00Z. */
    static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Fixtures() {
    }

    static MappingOptions options() {
        return MappingOptions.defaults().toBuilder().clock(CLOCK).mispBaseUrl("https://misp.example.org/").build();
    }

    static MappingOptions options(Profile profile) {
        return options().toBuilder().profile(profile).build();
    }
}
