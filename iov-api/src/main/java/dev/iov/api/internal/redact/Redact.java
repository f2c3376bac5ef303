package dev.iov.api.internal.redact;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it goes into an exception message, a log line or a {@code toString}. Every
 * place that prints a URL, a header, a setting value or a third party's message (an HTTP reply, an I/O exception) runs
 * it through here; what is removed is replaced by {@value #MASK}.
 *
 * <ul>
 *   <li>{@link #url}: a URL with its user info and every query value masked ({@code https://***@ufm:443/?token=***});
 *       text that is not a URL at all is masked from its {@code @} on, since the part before it may be a password;</li>
 *   <li>{@link #text}: free text with, in any URL it holds, the user info masked, and the values of
 *       {@code Authorization:}, {@code Basic}/{@code Bearer} credentials and {@code password=}, {@code token=},
 *       {@code secret=}, {@code key=} style pairs (JSON {@code "password": "..."} too) masked;</li>
 *   <li>{@link #text(String, Collection)}: also masks each given secret, in plain text and Base64 (with and
 *       without a {@code user:} prefix for HTTP basic credentials), for messages that may echo what was sent;</li>
 *   <li>{@link #isSecretKey}/{@link #settingValue}: whether a settings key holds a secret, and its printable value.</li>
 * </ul>
 */
public final class Redact {

    /** What a removed secret is replaced with. */
    public static final String MASK = "***";

    private static final String SECRET_WORDS = "password|passwd|pwd|secret|token|access_token|api[-_]?key|"
            + "private[-_]?key|credentials?|authorization|cookie";
    /** {@code scheme://userinfo@} anywhere in text; the user info ends at the last {@code @} before a blank. */
    private static final Pattern URL_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^\\s/?#]*@");
    /** {@code Authorization: value} up to the end of the line, as a header dump would show it. */
    private static final Pattern AUTH_HEADER = Pattern.compile("(?i)((?:proxy-)?authorization\\s*[:=]\\s*)[^\\r\\n]+");
    /** {@code Basic xyz} / {@code Bearer xyz}, spelled as in a header (prose such as "basic credentials" stays). */
    private static final Pattern SCHEME_CREDENTIALS = Pattern.compile("\\b(Basic|Bearer|BASIC|BEARER)(\\s+)"
            + "[^\\s\"',;]+");
    /** {@code password=xyz}, {@code token: xyz}, {@code "password": "xyz"}, {@code ?token=xyz&}. */
    private static final Pattern SECRET_PAIR = Pattern.compile("(?i)(\"?\\b(?:" + SECRET_WORDS
            + ")\"?\\s*[=:]\\s*\"?)([^\\s\"&,;}]+)");
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(" + SECRET_WORDS + ").*");

    private Redact() {
    }

    /**
     * @param uri a URL, or null
     * @return the URL with user info and query values masked and any fragment dropped; {@code null} for null
     */
    public static String url(URI uri) {
        if (uri == null) {
            return "null";
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            return url(uri.toString());
        }
        StringBuilder out = new StringBuilder();
        if (uri.getScheme() != null) {
            out.append(uri.getScheme()).append("://");
        }
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        out.append(at >= 0 ? MASK + authority.substring(at) : authority);
        if (uri.getRawPath() != null) {
            out.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            out.append('?').append(maskQuery(uri.getRawQuery()));
        }
        return out.toString();
    }

    /**
     * For URL text that may not even parse (a setting as the user wrote it).
     *
     * @param text a URL as given, or null
     * @return the text with anything that could be user info, a query value or a fragment masked
     */
    public static String url(String text) {
        if (text == null) {
            return "null";
        }
        String s = text;
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash) + "#" + MASK;
        }
        int query = s.indexOf('?');
        String rest = "";
        if (query >= 0) {
            rest = "?" + maskQuery(s.substring(query + 1));
            s = s.substring(0, query);
        }
        int scheme = s.indexOf("://");
        int hostStart = scheme >= 0 ? scheme + 3 : 0;
        int at = s.lastIndexOf('@');
        if (at >= hostStart) {
            s = s.substring(0, hostStart) + MASK + s.substring(at);
        }
        return text(s + rest);
    }

    private static String maskQuery(String query) {
        StringBuilder out = new StringBuilder();
        for (String part : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = part.indexOf('=');
            out.append(eq < 0 ? part : part.substring(0, eq + 1) + MASK);
        }
        return out.toString();
    }

    /**
     * @param text free text, e.g. a third party's error message, or null
     * @return the text with URL user info, authorization values and secret-named values masked
     */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        String s = URL_USER_INFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
        s = AUTH_HEADER.matcher(s).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        s = SCHEME_CREDENTIALS.matcher(s).replaceAll("$1$2" + Matcher.quoteReplacement(MASK));
        return SECRET_PAIR.matcher(s).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }

    /**
     * @param text free text, or null
     * @param secrets the secrets the caller holds (passwords, tokens, {@code user:password} pairs); null and empty
     *     entries are skipped
     * @return {@link #text(String)} with, in addition, every secret masked as it is and in Base64
     */
    public static String text(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        List<String> forms = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                forms.add(secret);
                forms.add(base64(secret));
            }
        }
        // Longest first: Base64 of "user:password" ends with Base64 of the password when "user:" is 3n bytes.
        forms.sort(Comparator.comparingInt(String::length).reversed());
        String s = text;
        for (String form : forms) {
            s = s.replace(form, MASK);
        }
        return text(s);
    }

    private static String base64(String secret) {
        return Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param key a settings key ({@code password}, {@code sm.token}, {@code url})
     * @return whether its value is a credential and must not be printed
     */
    public static boolean isSecretKey(String key) {
        return key != null && SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * @param key a settings key
     * @param value its value
     * @return the value fit to print: {@value #MASK} for a secret key, a masked URL for a {@code url}-like key,
     *     otherwise {@link #text(String)} of the value
     */
    public static String settingValue(String key, String value) {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            return "null";
        }
        if (isSecretKey(key)) {
            return MASK;
        }
        return value.contains("://") || value.contains("@") ? url(value) : text(value);
    }
}
