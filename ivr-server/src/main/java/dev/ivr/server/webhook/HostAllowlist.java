package dev.ivr.server.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Where webhooks may be sent ({@code webhooks.allowed-hosts}, {@code webhooks.allow-http}): https only unless
 * http is allowed, a host on the list (exactly, or under a {@code *.domain} entry), no user info in the URL.
 * Checked when a subscription is made and before every delivery (the list may have changed since).
 */
public final class HostAllowlist {
    private final List<String> hosts;
    private final boolean allowHttp;

    public HostAllowlist(List<String> hosts, boolean allowHttp) {
        this.hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.allowHttp = allowHttp;
    }

    /**
     * The URL, checked.
     *
     * @throws IllegalArgumentException saying what is wrong (the message names no secret)
     */
    public URI check(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required");
        }
        if (url.length() > 2000) {
            throw new IllegalArgumentException("url is longer than 2000 characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowHttp)) {
            throw new IllegalArgumentException(scheme.equals("http")
                    ? "url must be https (plain http needs webhooks.allow-http: true)" : "url must be https");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url must not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("url must not have a #fragment");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("url has no host");
        }
        if (!allowed(host.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("host " + host.replaceAll("[^\\w.:\\[\\]-]", "?")
                    + " is not in webhooks.allowed-hosts");
        }
        return uri;
    }

    private boolean allowed(String host) {
        for (String h : hosts) {
            if (h.startsWith("*.") ? host.endsWith(h.substring(1)) && host.length() > h.length() - 1 : host.equals(h)) {
                return true;
            }
        }
        return false;
    }
}
