-- The agent summary per hour (issue 20): the same sums as journal_agent_quarters (V155, V159) per
-- hour (UTC) and agent, so that the agent report over a month reads a quarter of the rows. quarter:
-- the hour's first quarter hour (floor(epoch seconds / 3600) * 4). An hour row holds its four
-- quarters' sums, except the milliseconds a state over quarter edges lost to rounding: a state that
-- ends in the same hour has them in its state column; the one that begins in the hour and runs over
-- its end edge keeps cross_quarter (the quarter of its end), cross_state and cross_ms as on its
-- quarter row. Kept by the journal writer in the transaction that writes the events
-- (journal.store.AgentSummary); back-filled by the Java migration V167. H2 and PostgreSQL;
-- re-runnable (if not exists; V167 empties and refills it).
create table if not exists journal_agent_hours (
    quarter        bigint       not null,
    agent_id       varchar(200) not null,
    present        bigint not null default 0,
    ready_ms       bigint not null default 0,
    not_ready_ms   bigint not null default 0,
    on_call_ms     bigint not null default 0,
    reserved_ms    bigint not null default 0,
    wrap_up_ms     bigint not null default 0,
    other_ms       bigint not null default 0,
    handled        bigint not null default 0,
    talk_ms        bigint not null default 0,
    wrap_ms        bigint not null default 0,
    ring_no_answer bigint not null default 0,
    surveys        bigint not null default 0,
    satisfied      bigint not null default 0,
    hold_ms        bigint not null default 0,
    cross_quarter  bigint not null default 0,
    cross_state    bigint not null default 0,
    cross_ms       bigint not null default 0,
    constraint journal_agent_hours_pk primary key (quarter, agent_id)
);
