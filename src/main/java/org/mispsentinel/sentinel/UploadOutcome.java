package org.mispsentinel.sentinel;

import java.util.Map;

/**
 * Sentinel's answer to one upload request.
 *
 * @param rejected         0-based record index to Sentinel's error messages, for a 200 with errors
 * @param wholeBatchError  why Sentinel refused the request as a whole (400, 413), or null; retrying
 *                         it unchanged cannot help, so it is not an exception but an answer
 * @param retryDelayMillis how long to wait before trying again, for a 429; null otherwise
 * @param failure          the exception the route raises next, or null when there is none
 * @param unknown          why a 200 does not tell which records were accepted, or null
 */
public record UploadOutcome(int status, Map<Integer, String> rejected, String wholeBatchError,
                            Long retryDelayMillis, RuntimeException failure, String unknown) {

    public static UploadOutcome accepted(Map<Integer, String> rejected) {
        return new UploadOutcome(200, Map.copyOf(rejected), null, null, null, null);
    }

    public static UploadOutcome unknown(String why) {
        return new UploadOutcome(200, Map.of(), null, null, null, why);
    }

    public static UploadOutcome refused(int status, String error) {
        return new UploadOutcome(status, Map.of(), error, null, null, null);
    }

    public static UploadOutcome failed(int status, RuntimeException failure) {
        return new UploadOutcome(status, Map.of(), null, null, failure, null);
    }

    /** @param waitSource where the wait came from, for the log ("as Retry-After asks") */
    public static UploadOutcome throttled(long retryDelayMillis, String waitSource, String message) {
        return new UploadOutcome(429, Map.of(), null, retryDelayMillis, new SentinelThrottledException(message,
                java.time.Duration.ofMillis(retryDelayMillis), waitSource), null);
    }

    public boolean refusedWhole() {
        return wholeBatchError != null;
    }
}
