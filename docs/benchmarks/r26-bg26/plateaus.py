"""plateaus.py NAME.log [HOLD_S]: the plateaus of a levels.sh run: for each level its window (the HOLD_S, default 30,
seconds before its first per-command line, printed as soon as the hold ends) and its commands per second, as
"LEVEL FROM TO COMMANDS_PER_S" lines for tgroup.py and tsplit.py."""
import sys,re,datetime
hold=int(sys.argv[2]) if len(sys.argv)>2 else 30
first=None
for l in open(sys.argv[1]):
    m=re.match(r"(\d\d:\d\d:\d\d)     ?\S+\s+\d+\s+p50",l)
    if m and first is None: first=m.group(1)
    m=re.match(r"\d\d:\d\d:\d\d ivr ([\d,]+) calls:.*?, ([\d.]+) commands/s",l)
    if m and first:
        t=datetime.datetime.strptime(first,"%H:%M:%S"); f=(t-datetime.timedelta(seconds=hold)).strftime("%H:%M:%S")
        print(m.group(1).replace(",",""),f,first,m.group(2)); first=None
