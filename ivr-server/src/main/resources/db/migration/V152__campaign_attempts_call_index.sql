-- The campaign report (issue 20) sums the agents' talk on the attempts' calls in the database: the calls the agents
-- talked on are joined to their attempts by call id.
create index campaign_attempts_call on campaign_attempts (call_id);
