-- Wrap-up of a call by an agent: the disposition (a wrap-up code of the call's queue) and a
-- free-text note, shown with the call's interaction in the contact history. One row per call
-- and agent (a transferred call has one per agent who talked). Kept apart from interactions:
-- the agent may save it before or after the call's interaction is written. H2 and PostgreSQL.

create table wrap_ups (
    call_id     varchar(128)  not null,
    agent_id    varchar(64)   not null,
    queue       varchar(200),
    code        varchar(64),
    note        varchar(2000),
    saved_at    timestamp with time zone not null,
    primary key (call_id, agent_id)
);
create index wrap_ups_by_agent on wrap_ups (agent_id, saved_at);
