package dev.ivr.server.crm;

/** The CRM database cannot answer now (down, unreachable, or not migrated yet). */
public class CrmUnavailableException extends RuntimeException {
    public CrmUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
