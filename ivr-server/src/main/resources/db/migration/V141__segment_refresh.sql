-- Segment refresh (outbound.campaigns[].refresh): while a campaign runs, one server per period
-- evaluates its segment again and adds the customers who now match. The claim is one conditional
-- update of the campaign's row: refreshed_at is when the last refresh was claimed, and
-- refresh_node/refresh_until hold the claim while the server works (a claim left by a server
-- that died expires, and another server takes the period).
alter table campaign_runs add column refreshed_at timestamp with time zone;
alter table campaign_runs add column refresh_node varchar(200);
alter table campaign_runs add column refresh_until timestamp with time zone;
