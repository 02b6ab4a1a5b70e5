package dev.ivr.server.logging;

import ch.qos.logback.classic.pattern.MDCConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %X{key}} with control characters escaped ({@link LogText}): the call id comes from the PBX. */
public final class EscapingMdcConverter extends MDCConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escape(super.convert(event));
    }
}
