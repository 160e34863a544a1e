package org.mispsentinel.sentinel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entra ID refused the token request itself (HTTP 400 or 401): a wrong secret or certificate, an
 * app or tenant it does not know, a scope it does not issue. Keeps the OAuth error and Entra's
 * AADSTS code apart from the message, so that a check can name the one setting to fix.
 */
public class EntraRefusedException extends SentinelAccessDeniedException {

    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");

    private final String error;
    private final String said;

    /**
     * @param error OAuth's error code ({@code invalid_client}, {@code unauthorized_client}, ...)
     * @param said  Entra's description, one line, which never holds the credential
     */
    public EntraRefusedException(String message, String error, String said) {
        super(message);
        this.error = error == null ? "" : error;
        this.said = said;
    }

    public String error() {
        return error;
    }

    /** Entra's AADSTS code, e.g. AADSTS7000215 for a wrong secret, or empty. */
    public String aadsts() {
        Matcher m = AADSTS.matcher(said);
        return m.find() ? m.group() : "";
    }

    public String said() {
        return said;
    }
}
