-- The agent report's figures summed ahead of time (issue 20): one row per quarter hour (UTC,
-- quarter = floor(epoch seconds / 900)) and agent, kept by the journal writer beside the queue
-- summary in the transaction that writes the events (journal.store.AgentSummary; back-filled by the
-- Java migration V156). present: how many things the agent did in the quarter (state pieces,
-- events with a state, handled calls, ring-no-answers, surveys); the state columns: time in each
-- state, cut at quarter edges, each piece rounded down to the millisecond (a state with no next
-- event yet counts nothing: the report adds it to its end); handled, talk_ms, wrap_ms in the
-- quarter the talk ended in (an open wrap-up counts 0); cross_quarter, cross_state, cross_ms: for
-- the state that begins in this quarter and runs over its end edge, the quarter of its end, its
-- state column and the milliseconds its pieces lost to rounding against one piece (0: none). H2 and
-- PostgreSQL.
create table journal_agent_quarters (
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
    cross_quarter  bigint not null default 0,
    cross_state    bigint not null default 0,
    cross_ms       bigint not null default 0,
    constraint journal_agent_quarters_pk primary key (quarter, agent_id)
);
