#!/usr/bin/env python3
"""The benchmark's figures from its runs (scripts/bench/guest.sh).

A row's cost is the server CPU's busy time per answer.  The kernel's rows
(nfdns, and the floor they are compared with) are costed at full speed:
there the server CPU is nearly always busy, so its busy time is hundreds
of ticks, where at the fixed rate it is a few, too few to tell one
kernel row from another; the excess is dropped before the server CPU, and
a hit costs it more per answer at full speed than at the fixed rate.  A
userspace server is costed at the fixed rate, which it keeps up with: at
full speed its CPU also receives every query it then drops at its socket.

Every figure and every ratio is the median over rounds with a 95% bootstrap
interval: rounds are drawn with replacement, and a figure that compares two
servers (a cost above the floor, a ratio) is taken from the same drawn
rounds for both, so that what the host did in one round weighs on both
alike.  A goal is met only when its whole interval meets it: the lower
bound of an "at least" goal, the upper bound of an "at most" goal.

Rounds in which any measurement saw the host busier than --busy-max CPUs
outside the VM are dropped, and the report says which.

    report.py RUNS.jsonl OUTDIR HOST.json [--busy-max CPUS]

Writes OUTDIR/latest.json, latest.md, latest.svg and micro.svg.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

BOOTSTRAP = 4000
SEED = 53

NAMES = {"nfdnsd": "nfdnsd alone", "unbound": "Unbound", "dnsmasq": "dnsmasq",
         "dnsdist": "dnsdist packet cache", "floor": "floor (no server)"}
ORDER = {"nfdns": 0, "nfdns_ct": 1, "nfdns_rrl": 2, "nfdns_block": 3, "nfdnsd": 4,
         "unbound": 5, "dnsmasq": 6, "dnsdist": 7, "floor": 8}
FULL = "cpu_s_per_million_full_speed"
FIXED = "cpu_s_per_million"
KERNEL_ROWS = {"nfdns", "nfdns_ct", "nfdns_rrl", "nfdns_block", "floor"}


def cost_field(server):
    """Which measurement a row is costed by (see above)."""
    return FULL if server in KERNEL_ROWS else FIXED
MICRO_OPS = ["empty", "lookup", "parse", "build", "reply", "hook"]


def human(n):
    if n >= 1000000 and n % 1000000 == 0:
        return f"{n // 1000000}M"
    if n >= 1000000:
        return f"{n / 1000000:g}M"
    if n >= 1000:
        return f"{n / 1000:g}k"
    return str(n)


def fmt(v):
    if v is None:
        return "–"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def rnd(v, k=2):
    return None if v is None else round(v, k)


class Bootstrap:
    """Medians over rounds, and their intervals, by resampling rounds."""

    def __init__(self, rounds):
        self.rounds = sorted(rounds)
        rng = random.Random(SEED)
        k = len(self.rounds)
        self.draws = [[self.rounds[rng.randrange(k)] for _ in range(k)]
                      for _ in range(BOOTSTRAP)] if k else []

    def interval(self, stat):
        """stat(rounds) -> value or None; returns (median, low, high)."""
        point = stat(self.rounds)
        if point is None:
            return None, None, None
        vals = sorted(v for v in (stat(d) for d in self.draws) if v is not None)
        if not vals:
            return point, None, None
        lo = vals[int(0.025 * (len(vals) - 1))]
        hi = vals[int(0.975 * (len(vals) - 1) + 0.5)]
        return point, lo, hi


def median_of(values, rounds):
    vals = [values[r] for r in rounds if values.get(r) is not None]
    return statistics.median(vals) if vals else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs")
    ap.add_argument("out")
    ap.add_argument("host")
    ap.add_argument("--busy-max", type=float, default=0.25)
    a = ap.parse_args()

    lines = [json.loads(l) for l in open(a.runs) if l.strip()]
    host = json.load(open(a.host))
    meta = next((l for l in lines if l["kind"] == "meta"), {})
    idle = next((l for l in lines if l["kind"] == "idle"), {})
    block = next((l for l in lines if l["kind"] == "block"), {})
    warm = [l for l in lines if l["kind"] == "warm"]
    runs = [l for l in lines if l["kind"] == "run"]
    micro = [l for l in lines if l["kind"] == "micro"]

    # Rounds, and those the host's load spoils.
    all_rounds = sorted({r["rep"] for r in runs} | {m["rep"] for m in micro})
    round_load = {}
    for r in runs:
        h = r.get("host_other_cpus")
        if h is not None:
            round_load[r["rep"]] = max(round_load.get(r["rep"], 0), h)
    dropped = [r for r in all_rounds if round_load.get(r, 0) > a.busy_max]
    # A round the VM did not finish (it failed) is not compared with others.
    all_rows = {(r["server"], r["n"]) for r in runs}
    incomplete = [r for r in all_rounds if r not in dropped and
                  {(x["server"], x["n"]) for x in runs if x["rep"] == r} != all_rows]
    kept = [r for r in all_rounds if r not in dropped and r not in incomplete]
    if not kept:
        sys.exit(f"report.py: every round was taken on a busy host (more than {a.busy_max} CPUs outside the VM)")
    boot = Bootstrap(kept)

    # Per row (server, n): a figure per round.
    rows = {}
    for r in runs:
        rows.setdefault((r["server"], r["n"]), {})[r["rep"]] = r
    floor_key = next((k for k in rows if k[0] == "floor"), None)

    def per_round(key, field):
        return {rep: run.get(field) for rep, run in rows[key].items()}

    def above(key, field="cpu_s_per_million"):
        """Per-round CPU above the floor, paired by round."""
        if floor_key is None or key[0] == "floor":
            return {}
        f = per_round(floor_key, field)
        c = per_round(key, field)
        return {rep: c[rep] - f[rep] for rep in c
                if c[rep] is not None and f.get(rep) is not None}

    def label(key):
        s, n = key
        if s == "nfdns":
            return f"nfdns, {human(n)} entries"
        if s == "nfdns_ct":
            return f"nfdns, {human(n)} entries, conntrack on"
        if s == "nfdns_rrl":
            return f"nfdns, {human(n)} entries, rate limit on"
        if s == "nfdns_block":
            return f"nfdns, {human(n)} entries, {human(block.get('rules', 0))}-name block list"
        return NAMES.get(s, s)

    def fig(values):
        m, lo, hi = boot.interval(lambda rs: median_of(values, rs))
        return {"median": rnd(m), "ci95": [rnd(lo), rnd(hi)]}

    servers = []
    for key in sorted(rows, key=lambda k: (ORDER.get(k[0], 9), k[1])):
        kept_runs = [rows[key][r] for r in kept if r in rows[key]]
        w = next((x for x in warm if x["server"] == key[0] and x["n"] == key[1]), None)
        servers.append({
            "server": key[0], "n": key[1], "label": label(key), "rounds": len(kept_runs),
            "qps": fig(per_round(key, "qps")),
            "cpu_s_per_million": fig(per_round(key, "cpu_s_per_million")),
            "cost_measured": "full speed" if cost_field(key[0]) == FULL else "fixed rate",
            "cost_s_per_million": fig(per_round(key, cost_field(key[0]))),
            "cost_above_floor": fig(above(key, cost_field(key[0]))) if key[0] != "floor" else None,
            "cpu_above_floor_s_per_million": fig(above(key)) if key[0] != "floor" else None,
            "cpu_s_per_million_full_speed": fig(per_round(key, "cpu_s_per_million_full_speed")),
            "cpu_above_floor_full_speed": fig(above(key, FULL)) if key[0] != "floor" else None,
            "p50_us": fig(per_round(key, "p50_us")),
            "p99_us": fig(per_round(key, "p99_us")),
            "lost_at_rate": sum(x["lost"] for x in kept_runs),
            "sent_at_rate": sum(x["sent"] for x in kept_runs),
            "latency_lost": sum(x["lat_lost"] for x in kept_runs),
            "upstream_during_runs": sum(x["upstream"] or 0 for x in kept_runs),
            "server_busy_split_s": {k: rnd(statistics.median(x["server_busy_split_s"][k] for x in kept_runs))
                                    for k in ("user", "system", "softirq")} if kept_runs else None,
            "warm_s": w and w["seconds"], "warm_method": w and w.get("method", "query file"),
        })

    def ratio(num_key, den_key, field=None):
        """median(num above floor) / median(den above floor), same rounds;
        each row costed as it is costed (see above), unless @field says."""
        na = above(num_key, field or cost_field(num_key[0]))
        da = above(den_key, field or cost_field(den_key[0]))

        def stat(rs):
            n, d = median_of(na, rs), median_of(da, rs)
            return None if n is None or d is None or d <= 0 else n / d
        m, lo, hi = boot.interval(stat)
        return {"median": rnd(m), "ci95": [rnd(lo), rnd(hi)]}

    goals = []

    def goal(text, r, target, at_least, figure):
        ok = r["ci95"][0] is not None and (r["ci95"][0] >= target if at_least else r["ci95"][1] <= target)
        goals.append({"goal": text, "ratio": r, "target": target,
                      "want": ("≥ " if at_least else "≤ ") + f"{target:g} (whole interval)",
                      "figure": figure, "met": ok})

    nfdns_sizes = sorted(k for k in rows if k[0] == "nfdns")
    # The dearest cache size: the largest median cost above the floor.
    dearest = max(nfdns_sizes, key=lambda k: median_of(above(k, FULL), kept) or 0, default=None)

    def rtext(r):
        return f"{fmt(r['median'])} ({fmt(r['ci95'][0])}–{fmt(r['ci95'][1])})"

    if dearest:
        for peer, target in (("unbound", 5), ("dnsdist", 4)):
            pk = next((k for k in rows if k[0] == peer), None)
            if pk:
                r = ratio(pk, dearest)
                goal(f"nfdns's hit path costs at least {target}× less server CPU above the floor than "
                     f"{NAMES[peer]}, at its dearest cache size ({human(dearest[1])}; nfdns at full speed, "
                     f"{NAMES[peer]} at the fixed rate)", r, target, True,
                     f"{NAMES[peer]} ÷ nfdns above the floor = {rtext(r)}")
        for extra, what in (("nfdns_ct", "conntrack on"), ("nfdns_rrl", "the rate limit on"),
                            ("nfdns_block", f"a {human(block.get('rules', 0))}-name block list")):
            ek = next((k for k in rows if k[0] == extra), None)
            if ek and ("nfdns", ek[1]) in rows:
                r = ratio(ek, ("nfdns", ek[1]), FULL)
                goal(f"{what} adds at most 10% to a hit's server CPU above the floor ({human(ek[1])} entries, "
                     f"at full speed)", r, 1.10, False, f"with ÷ without = {rtext(r)}")

    # The kernel microbenchmark: ns per operation, one CPU.
    mrows = {}
    for m in micro:
        if m.get("rep") in kept and m.get("cpus") == 1 and "op" in m and "ns_per_op" in m:
            mrows.setdefault((m["entries"], m["op"]), {})[m["rep"]] = m["ns_per_op"]
    micro_sizes = sorted({e for e, _ in mrows})
    micro_out = []
    for e in micro_sizes:
        row = {"entries": e, "ns_per_op": {}, "x_empty": {}}
        empty = mrows.get((e, "empty"), {})
        for op in MICRO_OPS + sorted({o for x, o in mrows if x == e and o not in MICRO_OPS}):
            vals = mrows.get((e, op))
            if not vals:
                continue
            row["ns_per_op"][op] = fig(vals)
            if op != "empty" and empty:
                def stat(rs, vals=vals):
                    n, d = median_of(vals, rs), median_of(empty, rs)
                    return None if n is None or not d else n / d
                m_, lo, hi = boot.interval(stat)
                row["x_empty"][op] = {"median": rnd(m_, 1), "ci95": [rnd(lo, 1), rnd(hi, 1)]}
        micro_out.append(row)
    # Scaling over CPUs: the hook on every CPU at once against one.
    scaling = []
    for e in micro_sizes:
        sp = {m["rep"]: m["speedup"] for m in micro
              if m.get("rep") in kept and m.get("entries") == e and "speedup" in m}
        cpus = max((m.get("cpus", 1) for m in micro if m.get("entries") == e and "speedup" in m), default=None)
        if sp:
            scaling.append({"entries": e, "cpus": cpus, "speedup": fig(sp)})
    if micro_out:
        dear = max(micro_out, key=lambda r: (r["ns_per_op"].get("hook") or {}).get("median") or 0)
        r = dear["x_empty"].get("hook")
        if r:
            goals.append({"goal": f"the hook on a hit costs at most 3× an empty hook (microbenchmark, "
                                  f"{human(dear['entries'])} entries, its dearest size)",
                          "ratio": r, "target": 3, "want": "≤ 3 (whole interval)",
                          "figure": f"hook ÷ empty hook = {rtext(r)}",
                          "met": r["ci95"][1] is not None and r["ci95"][1] <= 3})

    result = {
        "meta": {**{k: v for k, v in meta.items() if k != "kind"}, **host,
                 "idle_busy_cpus": idle.get("busy_cpus"), "rounds": all_rounds, "rounds_kept": kept,
                 "rounds_dropped": [{"round": r, "host_other_cpus": round_load.get(r)} for r in dropped],
                 "rounds_incomplete": incomplete,
                 "round_host_other_cpus": {str(r): round_load.get(r) for r in all_rounds},
                 "busy_max": a.busy_max, "bootstrap": BOOTSTRAP},
        "servers": servers, "goals": goals, "micro": micro_out, "scaling": scaling,
        "block": {k: v for k, v in block.items() if k != "kind"},
    }
    with open(os.path.join(a.out, "latest.json"), "w") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
        f.write("\n")
    write_md(result, os.path.join(a.out, "latest.md"))
    plot(result, a.out)


def cell(f):
    if f is None or f["median"] is None:
        return "–"
    return f"{fmt(f['median'])} ({fmt(f['ci95'][0])}–{fmt(f['ci95'][1])})"


def write_md(res, path):
    m = res["meta"]
    out = []
    out.append("| server | server CPU-s per million answers | above the floor | costed at | "
               f"at {m.get('rate')} qps | at full speed | answers/s at full speed | p50 µs | p99 µs |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for s in res["servers"]:
        out.append(f"| {s['label']} | {cell(s['cost_s_per_million'])} | {cell(s['cost_above_floor'])} | "
                   f"{s['cost_measured']} | {cell(s['cpu_s_per_million'])} | {cell(s['cpu_s_per_million_full_speed'])} | "
                   f"{cell(s['qps'])} | {cell(s['p50_us'])} | {cell(s['p99_us'])} |")
    out.append("")
    kept, dropped = m["rounds_kept"], m["rounds_dropped"]
    out.append(f"Medians of {len(kept)} rounds (95% bootstrap interval). "
               + (f"Dropped, the host busy outside the VM: "
                  + ", ".join(f"round {d['round']} ({d['host_other_cpus']} CPUs)" for d in dropped) + ". "
                  if dropped else f"No round dropped (none saw the host busier than {m['busy_max']} CPUs outside the VM). ")
               + (f"Left out, not finished: round {', '.join(map(str, m['rounds_incomplete']))}. "
                  if m.get("rounds_incomplete") else "")
               + f"{human(m.get('n', 0))} distinct names asked of every server; nfdns also with "
               + ", ".join(human(x) for x in m.get("nfdns_sizes", [])) + f" entries. {m.get('date')}, "
               + f"make bench {m.get('make_bench_wall_s', 0) // 60} min.")
    out.append("")
    out.append("| goal | figure | target | met |")
    out.append("|---|---|---|---|")
    for g in res["goals"]:
        out.append(f"| {g['goal']} | {g['figure']} | {g['want']} | {'yes' if g['met'] else '**no**'} |")
    if res["micro"]:
        ops = [o for o in MICRO_OPS if any(o in r["ns_per_op"] for r in res["micro"])]
        out.append("")
        out.append("| microbenchmark, ns per operation, one CPU | " + " | ".join(ops) + " | hook ÷ empty |")
        out.append("|---|" + "---|" * (len(ops) + 1))
        for r in res["micro"]:
            out.append(f"| {human(r['entries'])} entries | " + " | ".join(cell(r["ns_per_op"].get(o)) for o in ops)
                       + f" | {cell(r['x_empty'].get('hook'))} |")
    if res["scaling"]:
        out.append("")
        out.append("| entries | " + " | ".join(human(s["entries"]) for s in res["scaling"]) + " |")
        out.append("|---|" + "---|" * len(res["scaling"]))
        out.append(f"| hook throughput on {res['scaling'][0]['cpus']} CPUs ÷ on 1 | "
                   + " | ".join(cell(s["speedup"]) for s in res["scaling"]) + " |")
    out.append("")
    out.append("| server | lost at the fixed rate | lost in latency runs | upstream queries while measured | server CPU user / system / softirq, s per run | cache filled by |")
    out.append("|---|---|---|---|---|---|")
    for s in res["servers"]:
        sp = s["server_busy_split_s"] or {}
        filled = ("–" if s["server"] == "floor" else "the same entries as without"
                  if s["server"] in ("nfdns_ct", "nfdns_rrl", "nfdns_block")
                  else f"{s['warm_method'] or 'query file'} in {s['warm_s']} s")
        out.append(f"| {s['label']} | {s['lost_at_rate']} of {s['sent_at_rate']} | {s['latency_lost']} | "
                   f"{s['upstream_during_runs']} | {sp.get('user')} / {sp.get('system')} / {sp.get('softirq')} | {filled} |")
    out.append("")
    out.append(f"* VM: Debian kernel {m.get('kernel')}, {m.get('cpus')} CPUs, {m.get('mem_mib')} MiB, {m.get('accel')}; "
               f"CPU {m.get('server_cpu')} serves (receive packet steering, servers pinned, one thread each), "
               f"CPU {m.get('client_cpu')} runs the clients. Host: {m.get('host_cpus')} × {m.get('host_cpu')}, "
               f"busy outside the VM {m.get('host_other_cpus_mean')} CPUs on average (max {m.get('host_other_cpus_max')}).")
    out.append("* Cost: the kernel's rows (nfdns and the floor) at full speed, a userspace server at the fixed rate; "
               "see the top of scripts/bench/report.py for why.")
    out.append(f"* Server CPU per answer at {m.get('rate')} qps: the server CPU's busy time (all but the idle time, "
               f"which the kernel takes exactly at each idle entry and exit; /proc/stat rounds it to 10 ms) over "
               f"{m.get('seconds')} s of kxdpgun {m.get('kxdpgun')} at that fixed rate, which every server keeps up "
               f"with, divided by the answers. Above the floor: less the floor's, round by round.")
    out.append(f"* At full speed: kxdpgun for {m.get('tput_seconds')} s as fast as it sends (AF_XDP, native XDP on "
               f"the veth, on the client's CPU): the answers per second, and the server CPU's busy time per "
               f"answer. The kernel's rows saturate the server CPU and drop the excess before it (at the "
               f"steering queue, on the client's CPU); a userspace server's CPU also receives every query it "
               f"then drops at its socket, and answers far fewer than it could.")
    out.append(f"* p50 and p99: dnsperf {m.get('dnsperf', {}).get('version')} for {m.get('latency_seconds')} s at "
               f"{m.get('latency_qps')} qps, from each answer's latency (a lost query counts as slower than every answer).")
    v = m.get("versions", {})
    out.append(f"* Peers: Unbound {v.get('unbound')} (iterating from the root), dnsmasq {v.get('dnsmasq')} "
               f"(forwarding to the zone's server), dnsdist {v.get('dnsdist')} (packet cache), nfdnsd without "
               f"the module, each one thread on the server CPU; the names come from NSD {v.get('nsd')}. The floor "
               f"is no server: an nftables rule at the veth turns each query around.")
    if res["micro"]:
        out.append("* Microbenchmark: nfdns_hitbench.ko, prebuilt skbs, the transmit stubbed out; the empty hook "
                   "is a function returning NF_ACCEPT called the same way. Under TCG only the ratios count.")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def plot(res, outdir):
    here = os.path.dirname(os.path.abspath(__file__))
    m = res["meta"]
    sub = (f"kernel {str(m.get('kernel', '')).split('+')[0]}, {m.get('accel')}; medians of "
           f"{len(m['rounds_kept'])} rounds, bars 95% bootstrap intervals; {str(m.get('date', '')).split('T')[0]}")
    with tempfile.NamedTemporaryFile("w", suffix=".dat", delete=False) as d:
        for s in res["servers"]:
            c, q = s["cost_s_per_million"], s["qps"]
            d.write(f"\"{s['label']}\" {c['median']} {c['ci95'][0]} {c['ci95'][1]} "
                    f"{q['median']} {q['ci95'][0]} {q['ci95'][1]}\n".replace("None", "NaN"))
        dat = d.name
    subprocess.run(["gnuplot", "-e", f"datafile='{dat}'; outfile='{outdir}/latest.svg'; subtitle='{sub}'",
                    os.path.join(here, "plot.gp")], check=True)
    os.unlink(dat)
    if not res["micro"]:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".dat", delete=False) as d:
        for r in res["micro"]:
            vals = []
            for op in ("empty", "lookup", "build", "reply", "hook"):
                f = r["ns_per_op"].get(op) or {"median": None, "ci95": [None, None]}
                vals += [f["median"], f["ci95"][0], f["ci95"][1]]
            sp = next((s["speedup"] for s in res["scaling"] if s["entries"] == r["entries"]), None)
            vals += [sp["median"], sp["ci95"][0], sp["ci95"][1]] if sp else [None] * 3
            d.write(f"{r['entries']} " + " ".join("NaN" if v is None else str(v) for v in vals) + "\n")
        dat = d.name
    cpus = res["scaling"][0]["cpus"] if res["scaling"] else 2
    subprocess.run(["gnuplot", "-e", f"datafile='{dat}'; outfile='{outdir}/micro.svg'; subtitle='{sub}'; cpus={cpus}",
                    os.path.join(here, "micro-plot.gp")], check=True)
    os.unlink(dat)


if __name__ == "__main__":
    main()
