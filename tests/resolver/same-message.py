#!/usr/bin/python3
"""Compare two dig outputs as whole messages: the first is the oracle's.

  same-message.py ORACLE-OUTPUT OTHER-OUTPUT TTL-SLACK

Same RCODE and header flags; the same answer section, RRset by RRset in
order (records within an RRset in any order); the same authority section
(in any order); every TTL within TTL-SLACK seconds of the oracle's.  Prints
the differences and exits 1 when there are any.
"""
import re
import sys


def parse(path):
    msg = {"rcode": None, "flags": None, "ANSWER": [], "AUTHORITY": []}
    section = None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = re.search(r"status: ([A-Z]+),", line)
        if m:
            msg["rcode"] = m.group(1)
        m = re.match(r";; flags: ([a-z ]*);", line)
        if m:
            msg["flags"] = sorted(m.group(1).split())
        m = re.match(r";; ([A-Z]+) SECTION:", line)
        if m:
            section = m.group(1)
            continue
        if not line.strip():
            section = None
            continue
        if section in ("ANSWER", "AUTHORITY") and not line.startswith(";"):
            f = line.split(None, 4)
            if len(f) == 5:
                msg[section].append((f[0].lower(), int(f[1]), f[3], " ".join(f[4].split())))
    return msg


def rrsets(records):
    """Consecutive records of one owner and type as one RRset."""
    out = []
    for name, ttl, rtype, rdata in records:
        if out and out[-1][0] == (name, rtype):
            out[-1][1].append((rdata, ttl))
        else:
            out.append(((name, rtype), [(rdata, ttl)]))
    return [(key, sorted(recs)) for key, recs in out]


def main():
    want, got, slack = parse(sys.argv[1]), parse(sys.argv[2]), int(sys.argv[3])
    diffs = []
    for key in ("rcode", "flags"):
        if want[key] != got[key]:
            diffs.append("%s: oracle %s, got %s" % (key, want[key], got[key]))
    pairs = []
    w, g = rrsets(want["ANSWER"]), rrsets(got["ANSWER"])
    if [(k, [r for r, _ in v]) for k, v in w] != [(k, [r for r, _ in v]) for k, v in g]:
        diffs.append("answer: oracle %s, got %s" % (want["ANSWER"], got["ANSWER"]))
    else:
        pairs += [(a[1], b[1], k) for (k, wa), (_, ga) in zip(w, g) for a, b in zip(wa, ga)]
    wa = sorted((n, t, r) for n, _, t, r in want["AUTHORITY"])
    ga = sorted((n, t, r) for n, _, t, r in got["AUTHORITY"])
    if wa != ga:
        diffs.append("authority: oracle %s, got %s" % (want["AUTHORITY"], got["AUTHORITY"]))
    else:
        ws, gs = sorted(want["AUTHORITY"], key=lambda x: (x[0], x[2], x[3])), \
            sorted(got["AUTHORITY"], key=lambda x: (x[0], x[2], x[3]))
        pairs += [(a[1], b[1], (a[0], a[2])) for a, b in zip(ws, gs)]
    for wt, gt, key in pairs:
        if abs(wt - gt) > slack:
            diffs.append("TTL of %s %s: oracle %d, got %d" % (key[0], key[1], wt, gt))
    for d in diffs:
        print(d)
    return 1 if diffs else 0


sys.exit(main())
