"""parts.py THREAD F.txt ...: a thread's JFR samples (jfr print --events jdk.CPUTimeSample or jdk.ExecutionSample
--stack-depth 128 F.jfr > F.txt) by part of the journal writer's batch (js25). Each sample counts once, in the first
part (in this order) whose frame is on its stack. THREAD: the thread name's start (journal-outbox; main for WriterProbe),
optionally :FRAME, only the samples with that frame on the stack (main:JdbcJournal.flush: the probe's flushes alone)."""
import sys, re
PARTS = [
    ("H2 chunk write at commit (MVStore.storeNow)", ["MVStore.storeNow", "MVStore.store(", "FileStore.store"]),
    ("H2 commit: the undo log's pass (TransactionStore.commit)", ["TransactionStore.commit", "Transaction.commit"]),
    ("journal_seq numbers (JdbcJournal.seqs)", ["JdbcJournal.seqs"]),
    ("H2's parser (prepareStatement: a statement not in H2's per-connection cache)", ["Parser.prepareCommand", "Parser.parse"]),
    ("insert: secondary indexes (MVSecondaryIndex.add)", ["MVSecondaryIndex.add"]),
    ("insert: row map (MVPrimaryIndex.add)", ["MVPrimaryIndex.add"]),
    ("insert: the rest (JDBC, statement, values)", ["JournalSummary.insert", "JournalSummary.lookUpThenInsert"]),
    ("funnel summary", ["FunnelSummary."]),
    ("flow summary", ["FlowSummary."]),
    ("queue / agent summaries", ["JournalSummary.apply", "AgentSummary.", "JournalSummary.window", "JournalSummary$Windows"]),
    ("open calls' lines (CallLines)", ["CallLines."]),
    ("outbox (read, delete)", ["Outbox.", "JournalOutbox."]),
    ("pool, connection, the rest of the flush", ["JdbcJournal.", "JournalSummary."]),
]
prefix, _, frame = sys.argv[1].partition(":")
for f in sys.argv[2:]:
    txt = open(f).read()
    tot = 0; w = 0; c = {p[0]: 0 for p in PARTS}; other = 0
    for e in re.split(r"jdk\.(?:CPUTimeSample|ExecutionSample) \{", txt)[1:]:
        tot += 1
        th = re.search(r'(?:eventThread|sampledThread) = "([^"]*)"', e)
        if not th or not th.group(1).startswith(prefix) or (frame and frame not in e):
            continue
        w += 1
        for name, marks in PARTS:
            if any(m in e for m in marks):
                c[name] += 1
                break
        else:
            other += 1
    print(f"{f}: {tot} samples, thread {prefix}*{' with ' + frame if frame else ''} {w} ({100 * w / max(tot, 1):.1f}%)")
    for name, _ in PARTS:
        print(f"  {name}: {c[name]} ({100 * c[name] / max(w, 1):.0f}%)")
    print(f"  elsewhere: {other} ({100 * other / max(w, 1):.0f}%)")
