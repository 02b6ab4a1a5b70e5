-- The campaign report (issue 20) reads a period's attempts by the time they started, across campaigns, and the
-- opt-outs the campaigns' calls recorded by the time they were made.
create index campaign_attempts_started on campaign_attempts (started_at);
create index dnc_numbers_campaign on dnc_numbers (campaign, added_at);
