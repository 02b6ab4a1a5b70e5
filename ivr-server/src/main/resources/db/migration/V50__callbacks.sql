-- Callbacks (booked while waiting in a queue, or scheduled through the API): the cluster owns
-- them (Hazelcast map ivr.callbacks, with backups); this table keeps every change, so that a
-- whole-cluster restart or a lost partition finds them again. One script for H2 (PostgreSQL
-- mode) and PostgreSQL. Versions 50-59 belong to high availability.

create table callbacks (
    id            varchar(128)  primary key,
    -- the call whose caller asked for it (equal to id for a booked callback)
    call_id       varchar(128)  not null,
    number        varchar(64)   not null,
    queue         varchar(64)   not null,
    -- SCHEDULED, WAITING, DIALING, CONNECTED, DONE, FAILED, CANCELLED
    state         varchar(16)   not null,
    due_at        timestamp with time zone not null,
    requested_at  timestamp with time zone not null,
    enqueued_at   timestamp with time zone,
    attempts      integer       not null default 0,
    owner_node    varchar(128),
    reason        varchar(255),
    -- the route request (JSON): what the screen pop and the agent leg are built from
    request       varchar(100000) not null,
    updated_at    timestamp with time zone not null
);

create index callbacks_open on callbacks (state, due_at);
