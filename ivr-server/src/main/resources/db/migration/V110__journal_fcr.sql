-- First-contact resolution and reports that aggregate in SQL (issue 20).
-- The caller's customer id on CALL_ENDED events: a repeat call of the same customer within
-- reports.fcr-window means the first call did not resolve the matter.
alter table journal_events add column customer_id varchar(64);
-- The queue report sums the events of a few types over a period (offered, answered, abandoned ...,
-- ended calls for first-contact resolution, agent events for handle times): by type, then time.
create index journal_events_by_type_time on journal_events (event_type, occurred_at);
