package dev.ivr.server.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a message, a log line or a {@code toString()} shows a URL, a setting or a secret without the secret: the one
 * place that decides it, for the configuration's checks, the database's messages, the doctor and the command line
 * (docs/security.md, "Secrets in messages").
 */
public final class Redaction {
    /** What stands in for a secret. */
    public static final String MASK = "***";

    /** {@code user:password@} (or {@code user@}) after a URL's {@code //}. */
    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#;@\\s]*@");
    /**
     * A parameter whose name says it is a secret, in a query ({@code ?password=}, {@code &sslpassword=}) or in H2's
     * settings ({@code ;PASSWORD=}): its value, up to the next separator.
     */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;][\\w.-]*(?:password|passwd|pwd|secret|token)[\\w.-]*=)[^&;#\\s]*");
    /** {@code jdbc:mysql:}: the sub-protocol names the database, never a credential. */
    private static final Pattern JDBC_SCHEME = Pattern.compile("(?i)^jdbc:[a-z0-9_+.-]{1,32}:");
    /** {@code postgres://}: a scheme followed by {@code //}, so not a user name before a password. */
    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]{0,31}://");

    private Redaction() {
    }

    /**
     * {@code url} with the credentials a URL can carry masked: {@code user:password@} and the value of every parameter
     * named like a password, secret or token ({@code password=}, {@code sslpassword=}, H2's {@code ;PASSWORD=}).
     * Null stays null.
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String s = USER_INFO.matcher(url).replaceAll(Matcher.quoteReplacement(MASK + "@"));
        return SECRET_PARAMETER.matcher(s).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }

    /**
     * Only the scheme of {@code url}, for a message about a URL that is not accepted: {@code jdbc:mysql:...},
     * {@code postgres://...}, or "a value without a URL scheme" (it might be a password typed into the wrong
     * setting); never the host, path, parameters or credentials.
     */
    public static String scheme(String url) {
        if (url == null) {
            return "nothing";
        }
        Matcher m = JDBC_SCHEME.matcher(url);
        if (m.find()) {
            return m.group() + "...";
        }
        m = URI_SCHEME.matcher(url);
        return m.find() ? m.group() + "..." : "a value without a URL scheme";
    }

    /** {@link #MASK} for a secret that is set, {@code ""} for one that is not: how a {@code toString()} shows it. */
    public static String secret(String value) {
        return value == null || value.isEmpty() ? "" : MASK;
    }

    /**
     * A configuration value as a message may show it, by its key: {@link #MASK} for a key that names a password,
     * secret or token, {@link #url} of a URL's, the value itself otherwise.
     */
    public static String setting(String key, String value) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.contains("password") || k.contains("secret") || k.contains("token")) {
            return value == null ? null : MASK;
        }
        return k.endsWith("url") ? url(value) : value;
    }
}
