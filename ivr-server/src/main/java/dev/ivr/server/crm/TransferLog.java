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

    /**
     * One transfer of a call.
     *
     * @param consult whether the agent talked to the target first (a consult transfer), or handed the call on at
     *                once (blind)
     */
    record Entry(String callId, String fromAgent, String fromQueue, String kind, String target, String note, Instant at,
                 boolean consult) {
        /** A blind transfer. */
        public Entry(String callId, String fromAgent, String fromQueue, String kind, String target, String note,
                     Instant at) {
            this(callId, fromAgent, fromQueue, kind, target, note, at, false);
        }
    }

    void add(Entry entry);

    /** The transfers of these calls by call id, each list oldest first. */
    Map<String, List<Entry>> forCalls(Collection<String> callIds);
}
