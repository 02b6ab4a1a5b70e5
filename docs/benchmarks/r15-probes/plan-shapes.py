# Issue 16, eleventh round: from a PostgreSQL log with auto_explain (pg-auto-explain-bin.sh), every statement on
# journal_events, normalized (literals and parameters as ?, numbers as N, lists as ?..), how often it ran, and the
# journal_events indexes its plans used; then, per index, the statements that used it. Usage: plan-shapes.py LOG
import re, sys, glob, collections
logs = sorted(glob.glob(sys.argv[1]))  # the server log(s) kept by pg-auto-explain-bin.sh
text = open(logs[-1], errors='replace').read()
entries = re.split(r'\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)', text)
def norm(q):
    k = re.sub(r"'(?:[^']|'')*'", "?", q)
    k = re.sub(r"\$\d+", "?", k)
    k = re.sub(r"\b\d+\b", "N", k)
    k = re.sub(r"\?(\s*,\s*\?)+", "?..", k)
    k = re.sub(r"\s+", " ", k).strip()
    return k
shapes = collections.OrderedDict()
for e in entries:
    m = re.search(r'duration: [0-9.]+ ms  plan:\n\s*Query Text: (.*)$', e, re.S)
    if not m:
        continue
    body = m.group(1)
    lines = body.split('\n')
    cut = next((i for i, l in enumerate(lines) if '(cost=' in l), len(lines))
    q, plan = '\n'.join(lines[:cut]).strip(), '\n'.join(lines[cut:])
    if 'journal_events' not in q.lower() or q.lower().lstrip().startswith(('copy', 'explain', 'analyze')):
        continue
    # indexes on journal_events only: find scan nodes naming journal_events indexes
    idx = collections.Counter(re.findall(r'(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)?(?: using| on) (journal_events\S*)', plan))
    if re.search(r'Seq Scan on journal_events\b', plan):
        idx['SEQ SCAN journal_events'] += 1
    k = norm(q)
    c, s = shapes.get(k, (0, collections.Counter()))
    s.update({x: 1 for x in idx})
    shapes[k] = (c + 1, s)
byindex = collections.defaultdict(list)
for i, (k, (c, s)) in enumerate(shapes.items(), 1):
    print(f"S{i} x{c} {dict(s)}\n   {k[:700]}\n")
    for x in s:
        byindex[x].append(f"S{i}")
print("BY INDEX")
for x, l in sorted(byindex.items()):
    print(x, len(l), ' '.join(l))
