-- The journal summary's writer finds a customer's neighbouring ended calls (first-contact resolution) with
-- "customer_id = ? and event_type = 'CALL_ENDED' and occurred_at < ? order by occurred_at desc, seq desc fetch first
-- 1 rows only" (and the same after). With only journal_events_by_customer (customer_id, occurred_at), H2 chose
-- journal_events_by_type_time for the order and read every CALL_ENDED event of the journal to find the customer's: a
-- scan per identified call that grows with the journal (issue 16: 60% of the server's CPU in the call-setup
-- benchmark after 7,000 calls). With this index both equalities and the order come from one index.
create index journal_events_by_customer_type on journal_events (customer_id, event_type, occurred_at);
