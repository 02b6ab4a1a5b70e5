-- An index of the journal that no reader uses (issue 16, eleventh round): every journal row is written into each of
-- the table's indexes, and on the embedded H2 database every commit writes the leaves they dirtied.
-- journal_events_by_day (event_day, event_type): every statement that names event_day also bounds occurred_at to the
-- same period (the day bounds are derived from the time bounds: JournalReader, FlowReport, QueueReport), so
-- journal_events_by_time (occurred_at) reads the same rows or fewer, and journal_events_by_type_time (event_type,
-- occurred_at) serves those that also name the type. The audit (docs/benchmarks.md, "Issue 16, eleventh round"):
-- every statement on journal_events that JournalBenchmark's readers, summaries, rebuilds and writer ran on
-- PostgreSQL (auto_explain), and those again on H2 and on PostgreSQL under EXPLAIN ANALYZE with and without this
-- index: no plan used it on either database. One script for H2 (PostgreSQL mode) and PostgreSQL; re-runnable.
drop index if exists journal_events_by_day;
