-- The flow report's figures summed ahead of time (issue 20), kept by the journal writer in the
-- transaction that writes the events (journal.store.FlowSummary; back-filled by the Java migration
-- V161). entered: calls whose CALL_ENTERED (naming a flow, not a resumption) is in the quarter hour
-- (UTC, quarter = floor(epoch seconds / 900)), on the row with end_quarter = quarter and
-- after_quarter = -1. served: self-served ends (CALL_ENDED SELF_SERVED, in end_quarter) counted in
-- the quarter of the call's first flow event of a period that starts after after_quarter: one row per
-- quarter in which the call has a flow event, after_quarter being the previous such quarter (-1 for
-- the first). A period of quarters [F, T) sums the rows with F <= quarter < T, after_quarter < F and
-- end_quarter < T. H2 and PostgreSQL; re-runnable (if not exists; V161 empties and refills it).
create table if not exists journal_flow_quarters (
    quarter       bigint       not null,
    flow          varchar(200) not null,
    end_quarter   bigint       not null,
    after_quarter bigint       not null,
    entered       bigint not null default 0,
    served        bigint not null default 0,
    constraint journal_flow_quarters_pk primary key (quarter, flow, end_quarter, after_quarter)
);
