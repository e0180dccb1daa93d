"""The table and goal verdicts of bench/compare.py: per workload, the medians of both sides,
the ratio, peak RSS, GFLOP/s against the sgemm limit, final losses; then each goal, met or not."""
from bench_util import median

MIB = 1024 * 1024


def table_lines(results, flops, data_bytes):
    """Markdown lines: the workload table, a blank line, the goals table."""
    higher = {"W1": "samples/s", "W3": "samples/s", "Sweep W1": "samples/s",
              "Sweep W3": "samples/s"}
    goals = {"W1": (2.7, 0.60), "W3": (1.7, 0.75), "W2": (13, None), "W2 child": (50, None),
             "Sweep W1": (2.0, None), "Sweep W3": (1.3, None)}
    rows = []
    verdicts = []
    for key in ["W1", "W2", "W2 child", "W3", "Sweep W1", "Sweep W3", "Cold start",
                "Collect 10k"]:
        r = results.get(key)
        if not r:
            continue
        unit = higher.get(key, "ms")
        s = median(r["sweep"])
        best_t, tv = None, None
        for k in r:
            if not k.startswith("torch:") or k.endswith("_rss"):
                continue
            v = median(r[k])
            if tv is None or (v > tv if unit == "samples/s" else v < tv):
                best_t, tv = k[len("torch:"):], v
        ratio = None
        if tv:
            ratio = s / tv if unit == "samples/s" else tv / s
        rss_s = median(r["sweep_rss"]) / 1024
        rss_t = median(r["torch:%s_rss" % best_t]) / 1024 if best_t else None
        gf = ""
        # The limit is what the machine can do: the best of the runs (noise only lowers it).
        lim = max(r["limit"]) if "limit" in r else None
        fkey = key.split()[-1]
        if lim and fkey in flops:
            gs = s * flops[fkey] / 1e9
            gt = tv * flops[fkey] / 1e9 if tv else float("nan")
            gf = "%.0f (%.0f%%) / %.0f (%.0f%%) of %.0f" % (gs, 100 * gs / lim, gt,
                                                           100 * gt / lim, lim)
            if key in goals and goals[key][1] is not None:
                verdicts.append(("%s >= %.0f%% of sgemm limit" % (key, 100 * goals[key][1]),
                                 "%.1f%%" % (100 * gs / lim), gs / lim >= goals[key][1]))
        if key in goals and ratio:
            verdicts.append(("%s >= %.1fx PyTorch" % (key, goals[key][0]), "%.2fx" % ratio,
                             ratio >= goals[key][0]))
        if key == "Cold start":
            verdicts.append(("cold start <= 10 ms", "%.1f ms" % s, s <= 10))
        if key == "Collect 10k":
            verdicts.append(("collect 10k <= 0.5 s", "%.0f ms" % s, s <= 500))
        if key == "W1":
            limit_mib = data_bytes / MIB + 32
            verdicts.append(("W1 peak RSS <= data + 32 MiB (%.0f MiB)" % limit_mib,
                             "%.0f MiB" % rss_s, rss_s <= limit_mib))
        loss = ""
        if "sweep_loss" in r and "torch_loss" in r:
            loss = "%.4f / %.4f" % (median(r["sweep_loss"]), median(r["torch_loss"]))
        fmt = (lambda v: "%.0f" % v) if unit == "samples/s" else (lambda v: "%.1f" % v)
        rows.append([key, unit, fmt(s), fmt(tv) if tv else "-",
                     best_t or "-",
                     ("%.2fx" % ratio) if ratio else "-",
                     "%.0f / %s" % (rss_s, ("%.0f" % rss_t) if rss_t else "-"), gf, loss])
    head = ["workload", "unit", "sweep", "PyTorch", "torch threads", "ratio",
            "peak RSS MiB (sweep / torch)", "GFLOP/s sweep (% limit) / torch (% limit) of limit",
            "final loss sweep / torch"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append("| goal | measured | met |")
    lines.append("|---|---|---|")
    for g, m, ok in verdicts:
        lines.append("| %s | %s | %s |" % (g, m, "yes" if ok else "**no**"))
    return lines
