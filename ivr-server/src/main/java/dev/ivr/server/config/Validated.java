package dev.ivr.server.config;

/** A configuration section that checks its own values. */
public interface Validated {
    void validate(Problems problems);
}
