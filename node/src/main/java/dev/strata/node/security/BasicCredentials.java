package dev.strata.node.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** The user and password of an {@code Authorization: Basic ...} header (RFC 7617, UTF-8). */
record BasicCredentials(String user, String password) {
    /** @return null when the header is absent, not Basic, or malformed */
    static BasicCredentials parse(String header) {
        if (header == null) return null;
        String h = header.trim();
        if (h.length() < 6 || !h.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) return null;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return null;
        return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
