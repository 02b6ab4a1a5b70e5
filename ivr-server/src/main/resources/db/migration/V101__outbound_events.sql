-- Events from other systems (POST /api/events): one row per idempotency key, written in the
-- transaction that arms the customer's contact in the event's campaign, so that an event sent
-- twice (a retry) arms it once; the second answer repeats the first.
create table outbound_events (
    idempotency_key varchar(128) primary key,
    type            varchar(64)  not null,
    customer_id     varchar(64),
    campaign        varchar(64),
    due_at          timestamp with time zone,
    result          varchar(32)  not null,
    received_at     timestamp with time zone not null
);
