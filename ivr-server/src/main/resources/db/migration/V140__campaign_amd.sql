-- Answering machine detection: the result of AMD() on the answered leg (HUMAN, MACHINE, NOTSURE,
-- HANGUP) and its cause (AMDCAUSE, e.g. TOOLONG-5000 or INITIALSILENCE-2500-2500), as the
-- ivr-outbound dialplan passes them to the campaign's flow; recorded with the attempt when the
-- flow starts.
alter table campaign_attempts add column amd varchar(16);
alter table campaign_attempts add column amd_cause varchar(64);
