-- The drop-off funnel's figures summed ahead of time (issue 20), kept by the journal writer in the
-- transaction that writes the events (journal.store.FunnelSummary; back-filled by the Java migration
-- V165). Quarter hours are UTC, quarter = floor(epoch seconds / 900). A row counts for a period of
-- quarters [F, T) when after_quarter < F <= quarter and end_quarter < T: per call, one set of rows
-- per quarter in which the call has a funnel event (an entry naming a flow that is not a
-- resumption, a node event, a hang-up in the IVR at a node), after_quarter being the call's previous
-- such quarter (-1 for its first): what the funnel counts for the call in a period starting in
-- (after_quarter, quarter]. On those rows: entered (node = ''): the call's first entry from that
-- start on, in end_quarter; reached: the call reached the node for the flow (the one it entered
-- from that start on before the node event, else the node event's own), first in end_quarter at
-- first_at (epoch microseconds; first_seq its journal seq: the steps' order); hung_up: its hang-ups
-- at the node (in end_quarter). H2 and PostgreSQL; re-runnable (V165 empties and refills it).
create table if not exists journal_funnel_quarters (
    quarter       bigint       not null,
    flow          varchar(200) not null,
    node          varchar(200) not null,
    end_quarter   bigint       not null,
    after_quarter bigint       not null,
    entered       bigint not null default 0,
    reached       bigint not null default 0,
    hung_up       bigint not null default 0,
    first_at      bigint not null default 9223372036854775807,
    first_seq     bigint not null default 9223372036854775807,
    constraint journal_funnel_quarters_pk primary key (quarter, flow, node, end_quarter, after_quarter)
);
