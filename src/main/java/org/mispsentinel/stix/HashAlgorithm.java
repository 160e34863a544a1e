package org.mispsentinel.stix;

/** Hash types MISP carries, their STIX hash names and the shape a value must have. */
enum HashAlgorithm {
    MD5("MD5", 32),
    SHA1("SHA-1", 40),
    SHA224("SHA-224", 56),
    SHA256("SHA-256", 64),
    SHA384("SHA-384", 96),
    SHA512("SHA-512", 128),
    SHA3_224("SHA3-224", 56),
    SHA3_256("SHA3-256", 64),
    SHA3_384("SHA3-384", 96),
    SHA3_512("SHA3-512", 128),
    IMPHASH("IMPHASH", 32),
    SSDEEP("SSDEEP", -1),
    TLSH("TLSH", -1),
    // Not in STIX's hash vocabulary (which is open): named as MISP's exporter names them.
    AUTHENTIHASH("AUTHENTIHASH", 64),
    PEHASH("PEHASH", 40),
    TELFHASH("TELFHASH", -1),
    VHASH("VHASH", -1);

    /** VirusTotal's vhash: digits and lower-case letters ('z' separates its parts). */
    private static final int VHASH_MAX = 256;

    /** TLSH digests are 70 hex digits (72 with the "T1" version prefix); MISP accepts 35 and more. */
    private static final int TLSH_MIN_HEX = 35;
    private static final int TLSH_MAX_HEX = 140;

    private final String stixName;
    private final String pathSegment;
    private final int hexLength;

    HashAlgorithm(String stixName, int hexLength) {
        this.stixName = stixName;
        this.pathSegment = StixLiterals.pathSegment(stixName);
        this.hexLength = hexLength;
    }

    String stixName() {
        return stixName;
    }

    /** The MISP attribute type (and file object relation) of this hash: {@code md5}, {@code sha3-256}, ... */
    String mispType() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** {@code MD5} or {@code 'SHA-256'}, ready to follow {@code hashes.}. */
    String pathSegment() {
        return pathSegment;
    }

    /** Null when {@code value} has this algorithm's shape, else why not. */
    String check(String value) {
        switch (this) {
            case SSDEEP:
                return checkSsdeep(value);
            case TLSH:
            case TELFHASH:
                return checkTlsh(value, stixName);
            case VHASH:
                return checkVhash(value);
            default:
                if (value.length() != hexLength) {
                    return stixName + " must be " + hexLength + " hex digits, got " + value.length() + " characters";
                }
                return isHex(value, 0, value.length()) ? null : stixName + " must be hex digits only";
        }
    }

    /** blocksize:chunk:double_chunk, the chunks in base64 letters; the second chunk may be empty. */
    private static String checkSsdeep(String v) {
        int first = v.indexOf(':');
        int second = first < 0 ? -1 : v.indexOf(':', first + 1);
        if (first < 1 || second < 0 || first > 10) {
            return "ssdeep must look like blocksize:hash:hash";
        }
        for (int i = 0; i < first; i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return "ssdeep block size must be decimal";
            }
        }
        if (second == first + 1) {
            return "ssdeep first hash part is empty";
        }
        for (int i = first + 1; i < v.length(); i++) {
            if (i != second && !isBase64(v.charAt(i))) {
                return "ssdeep hash parts must be base64 letters";
            }
        }
        return null;
    }

    /** TLSH digests, and telfhash, which is a TLSH digest of an ELF file's symbols. */
    private static String checkTlsh(String v, String name) {
        int from = (!v.isEmpty() && (v.charAt(0) == 'T' || v.charAt(0) == 't')) ? 1 : 0;
        int hex = v.length() - from;
        if (hex < TLSH_MIN_HEX || hex > TLSH_MAX_HEX) {
            return name + " must be " + TLSH_MIN_HEX + ".." + TLSH_MAX_HEX + " hex digits";
        }
        return isHex(v, from, v.length()) ? null : name + " must be hex digits only";
    }

    private static String checkVhash(String v) {
        if (v.isEmpty() || v.length() > VHASH_MAX) {
            return "VHASH must be 1.." + VHASH_MAX + " characters";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
                return "VHASH must be digits and lower-case letters only";
            }
        }
        return null;
    }

    static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }
}
