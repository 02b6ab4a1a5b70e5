package dev.ivr.server.journal.sources;

import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.journal.Journal;
import dev.ivr.server.journal.JournalEvent;

import java.time.Duration;
import java.util.Optional;

/**
 * The CRM store as routing uses it, journaling the callbacks it records: a callback's contact record (call id
 * {@code <call>-callback}) is written when the callback is over, and becomes a {@link Type#CALLBACK_DIALED}
 * event at the time the agent answered (or the callback gave up), with its wait and outcome.
 */
public final class CallbackJournal implements CrmStore {
    static final String SUFFIX = "-callback";
    private final CrmStore crm;
    private final Journal journal;
    private final String server;

    public CallbackJournal(CrmStore crm, Journal journal, String server) {
        this.crm = crm;
        this.journal = journal;
        this.server = server;
    }

    @Override
    public Identification identify(String ani) {
        return crm.identify(ani);
    }

    @Override
    public Authentication authenticate(String accountNumber, String pin, String callId) {
        return crm.authenticate(accountNumber, pin, callId);
    }

    @Override
    public Optional<Customer> customer(String customerId) {
        return crm.customer(customerId);
    }

    @Override
    public void record(Interaction i) {
        crm.record(i);
        if (i.callId() != null && i.callId().endsWith(SUFFIX)) {
            Duration wait = i.waitTime() == null ? Duration.ZERO : i.waitTime();
            String call = i.callId().substring(0, i.callId().length() - SUFFIX.length());
            journal.emit(JournalEvent.of(i.end() != null && i.talkTime() != null ? i.end().minus(i.talkTime()) : i.end(),
                    JournalEvent.Type.CALLBACK_DIALED, call, i.flow(), null, i.queue(), i.agentId(), wait.toMillis(),
                    i.outcome() == null ? null : i.outcome().name(), null, server));
        }
    }

    @Override
    public void recordRing(String callId, Duration ring) {
        crm.recordRing(callId, ring);
    }
}
