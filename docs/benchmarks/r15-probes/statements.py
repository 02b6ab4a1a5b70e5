# Issue 16, eleventh round: from a PostgreSQL log with auto_explain and statement logging (pg-auto-explain-bin.sh),
# one statement of each shape that reads journal_events (select), its parameters written in as literals, for
# ExplainProbe. Usage: statements.py LOG OUT
import re, sys, glob, collections
import os
src = open(os.path.join(os.path.dirname(__file__), 'plan-shapes.py')).read().split('shapes = collections')[0]
sys.argv = [sys.argv[0], sys.argv[1], sys.argv[2]]
exec(src)
out = collections.OrderedDict()
merged = []
for e in entries:
    if 'DETAIL:  parameters:' in e and merged:
        merged[-1] += '\n' + e[e.index('DETAIL:'):]
    else:
        merged.append(e)
for e in merged:
    m = re.search(r'duration: [0-9.]+ ms  (?:execute [^:]*|statement): (.*?)(?:\n\s*DETAIL:\s*parameters: (.*))?$', e, re.S)
    if not m:
        continue
    q = m.group(1).strip()
    if 'journal_events' not in q.lower():
        continue
    ql = re.sub(r'^\s*--[^\n]*\n', '', q).strip()
    if not ql.lower().startswith(('select', 'with', '(')) or 'explain' in ql.lower()[:20]:
        continue
    k = norm(ql)
    if k in out:
        continue
    sql = ql
    if m.group(2):
        params = dict(re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", m.group(2)))
        sql = re.sub(r'\$(\d+)\b', lambda x: params.get(x.group(1), x.group(0)), ql)
    out[k] = re.sub(r'\n\s*\n', '\n', sql)
with open(sys.argv[2], 'w') as f:
    for sql in out.values():
        f.write(sql.rstrip(';') + '\n\n')
print(len(out))
