-- Outbound calling rules (versions 100-109 belong to issue 19's rules, reminders and events).
-- The do-not-call list: numbers in E.164, for every campaign (scope '*') or one campaign (scope =
-- its name); where an entry came from (import, api, cli, flow) and, for an opt-out in a flow, the
-- campaign and call it was given in.
create table dnc_numbers (
    e164        varchar(16)  not null,
    scope       varchar(64)  not null,
    source      varchar(16)  not null,
    reason      varchar(255),
    campaign    varchar(64),
    call_id     varchar(128),
    customer_id varchar(64),
    added_by    varchar(128),
    added_at    timestamp with time zone not null,
    primary key (e164, scope)
);

-- One call at a time per customer, across campaigns and servers: the claim of an attempt inserts
-- the customer's row (primary key), the end of the attempt deletes it; a row past held_until (its
-- server died) may be taken over.
create table customer_dial_locks (
    customer_id varchar(64)  primary key,
    campaign    varchar(64)  not null,
    attempt_id  bigint       not null,
    node        varchar(200),
    held_until  timestamp with time zone not null
);

-- A contact found on the do-not-call list at dial time is 'dnc' (never dialled).
alter table campaign_contacts drop constraint campaign_contacts_state;
alter table campaign_contacts add constraint campaign_contacts_state
    check (state in ('pending', 'dialing', 'done', 'failed', 'no-number', 'dnc'));
-- attempts made before the contact was armed again (a reminder or an event for a finished
-- contact): max-attempts counts from here
alter table campaign_contacts add column attempt_base integer not null default 0;
create index campaign_attempts_customer on campaign_attempts (campaign, customer_id, started_at);
