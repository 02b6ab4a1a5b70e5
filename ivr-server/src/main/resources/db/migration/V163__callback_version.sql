-- The version of the cluster's entry a callback's row was written from (CallbackEntry.version): a save never replaces
-- a row of a higher version, so a write that was retried late (the database was cut, or one node's write raced
-- another's) cannot put back an older state over a newer one. Null for rows written before this version (any save
-- replaces them). One script for H2 (PostgreSQL mode) and PostgreSQL; re-runnable ("if not exists"). Versions 50-59 and
-- 163 belong to high availability.

alter table callbacks add column if not exists version bigint;
