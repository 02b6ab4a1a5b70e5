-- Consult (attended) transfers: the agent talked to the target before handing the call on.
-- The contact history tells them from blind transfers. H2 and PostgreSQL.

alter table call_transfers add column consult boolean default false not null;
