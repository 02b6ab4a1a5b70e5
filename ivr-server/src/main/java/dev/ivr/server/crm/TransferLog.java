package dev.ivr.server.crm;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The transfers agents made, kept with the calls' interactions for the contact history. Throws
 * {@link CrmUnavailableException} while the database cannot answer.
 */
public interface TransferLog {

    /** One transfer of a call. */
    record Entry(String callId, String fromAgent, String fromQueue, String kind, String target, String note, Instant at) {
    }

    void add(Entry entry);

    /** The transfers of these calls by call id, each list oldest first. */
    Map<String, List<Entry>> forCalls(Collection<String> callIds);
}
