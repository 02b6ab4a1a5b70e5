package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.config.Redaction;

import java.nio.file.Path;

/**
 * How Asterisk reaches a rendered prompt: the STREAM FILE argument for a cache key.
 * <ul>
 *   <li>{@link #directory}: the cache directory is shared with the PBX (same host, NFS, a
 *       volume); the path is mapped to where Asterisk sees it, sent without extension so
 *       Asterisk picks the best format ({@code .sln16} for wideband channels, else {@code .wav}).</li>
 *   <li>{@link #http}: an http URL of this server's {@code /prompts/<key>.<ext>}, fetched and
 *       cached by Asterisk's media cache (res_http_media_cache).</li>
 * </ul>
 */
public interface Delivery {

    String reference(String key);

    /** A short description for the log. */
    String describe();

    /**
     * @param asteriskDir where the PBX sees the cache directory; null or blank when it is the
     *                    same path on both hosts
     */
    static Delivery directory(PromptCache cache, String asteriskDir) {
        String mapped = asteriskDir == null || asteriskDir.isBlank() ? cache.dir().toString()
                : asteriskDir.replaceAll("/+$", "");
        return new Delivery() {
            @Override
            public String reference(String key) {
                Path relative = cache.dir().relativize(cache.base(key));
                return mapped + "/" + relative.toString().replace('\\', '/');
            }

            @Override
            public String describe() {
                return "directory " + cache.dir() + (mapped.equals(cache.dir().toString()) ? "" : " (Asterisk sees " + mapped + ")");
            }
        };
    }

    /** @param baseUrl e.g. {@code http://ivr-1.example.com:8080/prompts} (asked each time: the port may be known late) */
    static Delivery http(java.util.function.Supplier<String> baseUrl, AsteriskFormat format) {
        return new Delivery() {
            @Override
            public String reference(String key) {
                return base() + "/" + key + "." + format.extension();
            }

            private String base() {
                return baseUrl.get().replaceAll("/+$", "");
            }

            @Override
            public String describe() {
                return "http " + Redaction.url(base()) + "/<key>." + format.extension();
            }
        };
    }
}
