"""The lines of a -Xlog:gc*,gc+phases=debug,gc+age=trace,safepoint:file=LOG:time,uptime log that pauses.py (here) and
r23-cs23/gcsum.py read: one set of regular expressions, so the two scripts cannot read the same log differently.
Each pattern's groups: the GC id first where there is one, then the value(s)."""
import re

# [2026-12-06T17:02:07.888+0000][2.807s]: group 2 the time of day, group 3 the uptime
DECO = re.compile(r'^\[(\d{4}-\d\d-\d\dT(\d\d:\d\d:[\d.]+))[^\]]*\]\[([\d.]+)s\]')
# the end of a pause: GC id, kind (Pause Young (Normal) (G1 Evacuation Pause), Pause Remark, ...), ms
PAUSE_END = re.compile(r'GC\((\d+)\) (Pause \S+(?: \([^)]*\))*) (?:\d+M->\d+M\(\d+M\) )?([\d.]+)ms$')
# a concurrent cycle's end: GC id, Mark or Undo, ms
CONCURRENT_CYCLE = re.compile(r'GC\((\d+)\) Concurrent (Mark|Undo) Cycle ([\d.]+)ms$')
# a young pause's phases (gc+phases=debug), the Min of each: one GC thread
COPIED_BYTES = re.compile(r'GC\((\d+)\)\s+Copied Bytes:\s+Min: (\d+)')
OBJECT_COPY = re.compile(r'GC\((\d+)\)\s+Object Copy \(ms\):\s+Min: ([\d.]+)')
SCAN_HEAP_ROOTS = re.compile(r'GC\((\d+)\)\s+Scan Heap Roots \(ms\):\s+Min: ([\d.]+)')
EXT_ROOT_SCANNING = re.compile(r'GC\((\d+)\)\s+Ext Root Scanning \(ms\):\s+Min: ([\d.]+)')
SCANNED_CARDS = re.compile(r'GC\((\d+)\)\s+Scanned Cards:\s+Min: (\d+)')
# regions before->after: GC id, Eden|Survivor|Old|Humongous, before, after
REGIONS = re.compile(r'GC\((\d+)\) (Eden|Survivor|Old|Humongous) regions: (\d+)->(\d+)')
# gc+age=trace: GC id, desired survivor size, new threshold, max threshold
THRESHOLD = re.compile(r'GC\((\d+)\) Desired survivor size (\d+) bytes, new threshold (\d+) \(max threshold (\d+)\)')
# gc+age=trace: GC id, age, bytes of that age
AGE = re.compile(r'GC\((\d+)\)\s+- age\s+(\d+):\s+(\d+) bytes')
# every safepoint: name, ns to reach it, ns at it
SAFEPOINT = re.compile(r'Safepoint "([^"]+)".*Reaching safepoint: (\d+) ns, At safepoint: (\d+) ns')


def tosec(hms):
    """Seconds of the day of HH:MM:SS.fff."""
    h, m, s = hms.split(':')
    return int(h) * 3600 + int(m) * 60 + float(s)
