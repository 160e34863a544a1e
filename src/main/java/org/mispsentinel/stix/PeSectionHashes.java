package org.mispsentinel.stix;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.mispsentinel.misp.MispAttribute;

/**
 * Hash attributes of MISP {@code pe-section} objects. They hash one section of a PE file, not the
 * file, so {@code file:hashes} would claim a file hash no file has. STIX 2.1 keeps section hashes
 * in the {@code windows-pebinary-ext} extension of the file, and {@code sections[*]} matches
 * whichever section it is, since MISP's object gives no index that means anything to a matcher.
 * The same pattern serves both profiles, being a single comparison.
 */
final class PeSectionHashes {

    static final String OBJECT_NAME = "pe-section";
    static final String PATH = "file:extensions.'windows-pebinary-ext'.sections[*].hashes.";

    /** Digests of a byte range; the others (imphash, authentihash, ...) are defined on a whole file. */
    private static final Set<HashAlgorithm> OF_BYTES = EnumSet.of(HashAlgorithm.MD5, HashAlgorithm.SHA1,
            HashAlgorithm.SHA224, HashAlgorithm.SHA256, HashAlgorithm.SHA384, HashAlgorithm.SHA512,
            HashAlgorithm.SHA3_224, HashAlgorithm.SHA3_256, HashAlgorithm.SHA3_384, HashAlgorithm.SHA3_512,
            HashAlgorithm.SSDEEP, HashAlgorithm.TLSH);

    private static final Map<String, TypeSpec> SPECS = build();

    private PeSectionHashes() {
    }

    /** How a hash attribute of a pe-section object maps; null for any other attribute. */
    static TypeSpec spec(MispAttribute a) {
        String objectName = a.objectName();
        return a.type() != null && objectName != null && objectName.equalsIgnoreCase(OBJECT_NAME)
                ? SPECS.get(a.type()) : null;
    }

    private static Map<String, TypeSpec> build() {
        Map<String, TypeSpec> m = new HashMap<>();
        for (HashAlgorithm algorithm : HashAlgorithm.values()) {
            TypeHandler handler = OF_BYTES.contains(algorithm)
                    ? CommonHandlers.hashed(algorithm, PATH + algorithm.pathSegment(), IndicatorKind.FILE_HASH)
                    : v -> Built.invalid(algorithm.stixName() + " is defined on a whole file, not on a PE section");
            m.put(algorithm.mispType(), TypeSpec.of(algorithm.mispType(), handler));
        }
        return Map.copyOf(m);
    }
}
