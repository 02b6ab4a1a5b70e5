-- Hold time per agent (issue 20): the agent summary's hold_ms, the time the agent's calls were on
-- hold, in the quarter hour the hold ended in (a CALL_UNHOLD event's duration_ms; the journal has
-- no hold events before this version, so nothing to back-fill). Part of the talk (talk_ms runs from
-- answer to the end of the talk, holds included): the report shows it beside the talk, the average
-- handle time counts it once. H2 and PostgreSQL; re-runnable (if not exists).
alter table journal_agent_quarters add column if not exists hold_ms bigint not null default 0;
