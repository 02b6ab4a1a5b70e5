-- The queue report's figures summed ahead of time (issue 20): one row per quarter hour (UTC,
-- quarter = floor(epoch seconds / 900)) and queue ('' = a call in no queue: the center only),
-- kept by the journal writer in the transaction that writes the events (journal.store.JournalSummary).
-- Call figures count in the quarter of their event; handled calls, talk and wrap-up in the quarter
-- the talk ended in (an open wrap-up counts 0 until the agent's next event); first-contact
-- resolution in the quarter the identified customer's call ended. sl_ms, short_ms, fcr_ms: the
-- service-level threshold, short-abandon time and FCR window the counts were made with (-1 when
-- mixed); a report with other rules recounts from the events. H2 and PostgreSQL.
create table journal_queue_quarters (
    quarter          bigint       not null,
    queue            varchar(200) not null,
    offered          bigint not null default 0,
    answered         bigint not null default 0,
    answered_in_time bigint not null default 0,
    abandoned        bigint not null default 0,
    short_abandoned  bigint not null default 0,
    transferred      bigint not null default 0,
    callbacks        bigint not null default 0,
    answer_wait_ms   bigint not null default 0,
    total_wait_ms    bigint not null default 0,
    waits            bigint not null default 0,
    longest_wait_ms  bigint not null default 0,
    handled          bigint not null default 0,
    talk_ms          bigint not null default 0,
    wrap_ms          bigint not null default 0,
    surveys          bigint not null default 0,
    satisfied        bigint not null default 0,
    fcr_calls        bigint not null default 0,
    fcr_repeated     bigint not null default 0,
    sl_ms            bigint not null,
    short_ms         bigint not null,
    fcr_ms           bigint not null,
    constraint journal_queue_quarters_pk primary key (quarter, queue)
);
-- The agents that have a timeline (the report's wrap-up-at-the-end correction walks them).
create table journal_agents (
    agent_id varchar(200) not null primary key
);
-- The writer finds an agent's neighbouring events and a customer's neighbouring calls by these.
create index journal_events_by_agent on journal_events (agent_id, occurred_at);
create index journal_events_by_customer on journal_events (customer_id, occurred_at);

-- back-fill (also run by JournalSummary.rebuild: statements end with a semicolon at the end of a line)
insert into journal_agents (agent_id)
select distinct agent_id from journal_events
where agent_id is not null and event_type in ('AGENT_SIGNED_IN', 'AGENT_SIGNED_OUT', 'AGENT_STATE', 'AGENT_WRAP_UP');
insert into journal_queue_quarters (quarter, queue, offered, answered, answered_in_time, abandoned, short_abandoned,
    transferred, callbacks, answer_wait_ms, total_wait_ms, waits, longest_wait_ms, handled, talk_ms, wrap_ms, surveys,
    satisfied, fcr_calls, fcr_repeated, sl_ms, short_ms, fcr_ms)
select b, coalesce(q, ''), sum(offered), sum(answered), sum(in_time), sum(abandoned), sum(short_ab), sum(transferred),
    sum(callbacks), sum(answer_wait), sum(total_wait), sum(waits), max(longest), sum(handled), sum(talk), sum(wrap),
    sum(surveys), sum(satisfied), sum(fcr_calls), sum(fcr_repeated), 20000, 5000, 604800000
from (
    select cast(floor(extract(epoch from e.occurred_at) / 900) as bigint) as b,
        coalesce(e.queue, (select q2.queue from journal_events q2 where q2.call_id = e.call_id and q2.queue is not null
            order by q2.occurred_at, q2.seq fetch first 1 rows only)) as q,
        case when e.event_type = 'CALL_QUEUED' then 1 else 0 end as offered,
        case when e.event_type = 'CALL_ANSWERED' then 1 else 0 end as answered,
        case when e.event_type = 'CALL_ANSWERED' and coalesce(e.duration_ms, 0) <= 20000 then 1 else 0 end as in_time,
        case when e.event_type = 'CALL_ABANDONED' then 1 else 0 end as abandoned,
        case when e.event_type = 'CALL_ABANDONED' and coalesce(e.duration_ms, 0) < 5000 then 1 else 0 end as short_ab,
        case when e.event_type = 'CALL_TRANSFERRED' then 1 else 0 end as transferred,
        case when e.event_type = 'CALLBACK_REQUESTED' then 1 else 0 end as callbacks,
        case when e.event_type = 'CALL_ANSWERED' then coalesce(e.duration_ms, 0) else 0 end as answer_wait,
        case when e.event_type in ('CALL_ANSWERED', 'CALL_ABANDONED') then coalesce(e.duration_ms, 0) else 0 end as total_wait,
        case when e.event_type in ('CALL_ANSWERED', 'CALL_ABANDONED') then 1 else 0 end as waits,
        case when e.event_type in ('CALL_ANSWERED', 'CALL_ABANDONED') then coalesce(e.duration_ms, 0) else 0 end as longest,
        0 as handled, 0 as talk, 0 as wrap,
        case when e.event_type = 'CALL_SURVEYED' then 1 else 0 end as surveys,
        case when e.event_type = 'CALL_SURVEYED' and e.detail in ('4', '5') then 1 else 0 end as satisfied,
        0 as fcr_calls, 0 as fcr_repeated
    from journal_events e
    where e.event_type in ('CALL_QUEUED', 'CALL_ANSWERED', 'CALL_ABANDONED', 'CALL_TRANSFERRED', 'CALLBACK_REQUESTED',
        'CALL_SURVEYED')
    union all
    select cast(floor(extract(epoch from o.next_at) / 900) as bigint) as b,
        (select q2.queue from journal_events q2 where q2.call_id = o.call_id and q2.queue is not null
            order by q2.occurred_at, q2.seq fetch first 1 rows only) as q,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        cast(floor((extract(epoch from o.next_at) - extract(epoch from o.occurred_at)) * 1000) as bigint),
        case when o.next_detail = 'WRAP_UP' and o.next2_at is not null
            then cast(floor((extract(epoch from o.next2_at) - extract(epoch from o.next_at)) * 1000) as bigint) else 0 end,
        0, 0, 0, 0
    from (select call_id, detail, event_type, occurred_at,
            lead(occurred_at, 1) over (partition by agent_id order by occurred_at, seq) as next_at,
            lead(detail, 1) over (partition by agent_id order by occurred_at, seq) as next_detail,
            lead(occurred_at, 2) over (partition by agent_id order by occurred_at, seq) as next2_at
        from journal_events where agent_id is not null
            and event_type in ('AGENT_SIGNED_IN', 'AGENT_SIGNED_OUT', 'AGENT_STATE', 'AGENT_WRAP_UP')) o
    where o.detail = 'ON_CALL' and o.event_type <> 'AGENT_SIGNED_OUT' and o.next_at is not null
    union all
    select cast(floor(extract(epoch from f.occurred_at) / 900) as bigint) as b, f.queue as q,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        case when f.next_at is not null and extract(epoch from f.next_at) - extract(epoch from f.occurred_at) <= 604800
            then 1 else 0 end
    from (select occurred_at, queue,
            lead(occurred_at) over (partition by customer_id order by occurred_at, seq) as next_at
        from journal_events where event_type = 'CALL_ENDED' and customer_id is not null) f
) x
group by b, coalesce(q, '');
