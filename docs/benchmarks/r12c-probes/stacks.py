import sys, re, subprocess
# usage: stacks.py FILE.jfr JAVA_HOME_BIN  -> counts of samples containing each (a, b) pair of frames
jfr, jbin = sys.argv[1], sys.argv[2]
out = subprocess.run([jbin + '/jfr', 'print', '--events', 'jdk.CPUTimeSample', '--stack-depth', '300', jfr], capture_output=True, text=True).stdout
events = out.split('jdk.CPUTimeSample {')[1:]
pairs = [
 ('all', None, None),
 ('CRM lookup (customersByPhone)', 'CustomerRows.customersByPhone', None),
 ('  of it: H2 page read from file (FileStore.readPage)', 'CustomerRows.customersByPhone', 'readPage'),
 ('interaction writer (insertAll)', 'InteractionRecorder.insertAll', None),
 ('  of it: page read from file (insertAll)', 'InteractionRecorder.insertAll', 'readPage'),
 ('journal writer (JournalSummary.write)', 'JournalSummary.write', None),
 ('  of it: page read from file (summary)', 'JournalSummary.write', 'readPage'),
 ('journal insert (JdbcJournal.insert)', 'JdbcJournal.insert', None),
 ('  of it: page read from file (journal insert)', 'JdbcJournal.insert', 'readPage'),
 ('any H2 page read from file', 'readPage', None),
 ('H2 chunk write (MVStore.store / serializeAndStore)', 'serializeAndStore', None),
 ('phone numbers (PhoneNumbers.parse)', 'PhoneNumbers.parse', None),
 ('person name (IcuForms.personName)', 'IcuForms.personName', None),
 ('prompt cache (PromptCache.contains)', 'PromptCache.contains', None),
 ('journal customer window (JournalSummary.window)', 'JournalSummary.window', None),
]
counts = {p[0]: 0 for p in pairs}
for e in events:
    st = e.split('stackTrace = [', 1)[-1]
    for name, a, b in pairs:
        if (a is None or a in st) and (b is None or b in st):
            counts[name] += 1
for name, a, b in pairs:
    print(f"{name}\t{counts[name]}")
