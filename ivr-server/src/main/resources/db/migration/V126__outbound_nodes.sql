-- Dialing servers' heartbeats: each server with outbound.enabled writes its node name and the time
-- every few seconds. An open campaign attempt whose server has not been seen for the lease (the
-- server died) is reclaimed by another one: ended as node-lost and its contact moved on, so that
-- no contact is left "dialing" for ever and no attempt is dialled twice.
create table outbound_nodes (
    node    varchar(200) primary key,
    seen_at timestamp with time zone not null
);
