-- Preview campaigns: the agent routing reserved for an attempt sees the customer first and
-- accepts or skips. The attempt keeps who previewed it, when, and what was decided (accepted,
-- skipped, timeout-skipped, timeout-accepted, agent-left); the decision is one conditional update,
-- so an agent's click and the preview timeout (on any server) cannot both win.
alter table campaign_attempts add column agent_id varchar(64);
alter table campaign_attempts add column previewed_at timestamp with time zone;
alter table campaign_attempts add column preview_decision varchar(32);
alter table campaign_attempts add column decided_at timestamp with time zone;
create index campaign_attempts_agent on campaign_attempts (agent_id, ended_at);
