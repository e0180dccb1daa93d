#!/usr/bin/python3
"""The Optuna anchor of the adaptive-search benchmark (bench/RESULTS.md, "Adaptive search").

Replays Optuna's TPESampler(seed) with HyperbandPruner(min_resource=1, max_resource=27,
reduction_factor=3), sequential and in-process, on the replay table that bench/search_sim
replays our searches on (bench/data/search_table.jsonl, written by bench/search_table):
same categorical space (the grid's values), same seeds. Each trial reports the table's
val_accuracy after every epoch with trial.report and stops when pruned; a trial whose run
diverged fails at its diverging epoch. Epochs spent: every epoch a trial trained.

At each budget B the chosen trial is the COMPLETE one (trained to the last epoch) with the
highest final val_accuracy among the trials that ended within B epochs (as search_sim chooses);
regret = the table's best final test accuracy - its final test accuracy, in percentage points.

  /usr/bin/python3 bench/search_optuna.py --table bench/data/search_table.jsonl \
      [--seeds 100] [--budgets 243,729,2187,6561] [--ours per_seed.json]

--ours: search_sim --per-seed's file; for each budget, our TPE waves and Hyperband against
Optuna: the difference of the median regrets and its 95% bootstrap interval (10,000 resamples
of the seeds of each side, numpy's default_rng(0)). "Within noise": the interval contains 0 or
lies on our better side.
"""
import argparse
import json
import math
import statistics

import optuna


def load_table(path):
    with open(path) as f:
        header = json.loads(f.readline())
        rows = [json.loads(line) for line in f if line.strip()]
    epochs = max(len(r["val_accuracy"]) for r in rows)
    keys = [k for k in rows[0]["params"]
            if any(r["params"].get(k) != rows[0]["params"][k] for r in rows)]
    # Optuna's categorical choices must be None, bool, int, float or str: lists as JSON text.
    choices = {k: sorted({json.dumps(r["params"][k]) for r in rows}) for k in keys}
    index = {tuple(json.dumps(r["params"][k]) for k in keys): r for r in rows}
    best = max(r["test_accuracy"][epochs - 1] for r in rows
               if len(r["val_accuracy"]) == epochs and "diverged" not in r)
    return header, rows, epochs, keys, choices, index, best


def run_seed(seed, table, max_budget):
    _, _, epochs, keys, choices, index, _ = table
    trials = []  # (cumulative epochs at its end, final val or None, final test)
    spent = [0]

    def objective(trial):
        key = tuple(trial.suggest_categorical(k, choices[k]) for k in keys)
        row = index[key]
        val, test = row["val_accuracy"], row["test_accuracy"]
        finite = len(val)  # fewer than `epochs` only when the run diverged
        for e in range(1, epochs + 1):
            spent[0] += 1
            if e > finite:  # the run diverged in this epoch
                trials.append((spent[0], None, 0))
                return float("nan")  # Optuna marks the trial FAIL
            trial.report(val[e - 1], e)
            if trial.should_prune():
                trials.append((spent[0], None, 0))
                raise optuna.TrialPruned()
        trials.append((spent[0], val[epochs - 1], test[epochs - 1]))
        return val[epochs - 1]

    def stop(study, _trial):
        if spent[0] >= max_budget:
            study.stop()

    # HyperbandPruner puts a trial in a bracket by crc32 of the study name and trial number: a
    # fixed name makes the run repeatable (the default name is a random UUID).
    study = optuna.create_study(
        study_name=f"search_table-seed-{seed}",
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=seed),
        pruner=optuna.pruners.HyperbandPruner(min_resource=1, max_resource=epochs,
                                              reduction_factor=3))
    study.optimize(objective, callbacks=[stop], catch=())
    return trials


def chosen_test(trials, budget):
    best_val, best_test = -math.inf, 0.0
    for end, val, test in trials:
        if end > budget:
            break
        if val is not None and val > best_val:
            best_val, best_test = val, test
    return best_test


def spent_within(trials, budget):
    return max([end for end, _, _ in trials if end <= budget], default=0)


def quantile(v, q):
    v = sorted(v)
    pos = q * (len(v) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (pos - lo) * (v[hi] - v[lo])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--table", required=True)
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--budgets", default="243,729,2187,6561")
    ap.add_argument("--ours", help="search_sim --per-seed output to compare against")
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    table = load_table(args.table)
    budgets = [int(b) for b in args.budgets.split(",")]
    best = table[6]
    runs = [run_seed(s, table, max(budgets)) for s in range(args.seeds)]
    print(f"Optuna {optuna.__version__}: TPESampler + HyperbandPruner(1, {table[2]}, 3), "
          f"sequential; {args.seeds} seeds.\n")
    print("| method | budget (epochs) | trials (median) | epochs (median) | regret pp (median) | "
          "regret p25-p75 | test acc % (median) |\n|---|---|---|---|---|---|---|")
    optuna_regret = {}
    for b in budgets:
        tests = [chosen_test(t, b) for t in runs]
        regret = [100 * (best - x) for x in tests]
        optuna_regret[b] = regret
        ntrials = [sum(1 for end, _, _ in t if end <= b) for t in runs]
        spent = [spent_within(t, b) for t in runs]
        print(f"| optuna-tpe+hyperband | {b} | {statistics.median(ntrials):.0f} | "
              f"{statistics.median(spent):.0f} | {quantile(regret, 0.5):.2f} | "
              f"{quantile(regret, 0.25):.2f}-{quantile(regret, 0.75):.2f} | "
              f"{100 * quantile(tests, 0.5):.2f} |")
    if args.ours:
        compare(args.ours, optuna_regret)


def compare(path, optuna_regret):
    import numpy as np
    with open(path) as f:
        ours = json.load(f)
    rng = np.random.default_rng(0)
    print("\nGoal 3, our searches against Optuna's sequential TPE + Hyperband at equal epochs "
          "(median regret, pp; difference ours - Optuna, 95% bootstrap interval):\n")
    for b, theirs in optuna_regret.items():
        for method in ("tpe-waves", "hyperband"):
            mine = ours.get(method, {}).get(str(b))
            if not mine:
                continue
            a, o = np.array(mine), np.array(theirs)
            diffs = [np.median(rng.choice(a, a.size)) - np.median(rng.choice(o, o.size))
                     for _ in range(10000)]
            lo, hi = np.percentile(diffs, [2.5, 97.5])
            d = np.median(a) - np.median(o)
            verdict = "within noise" if lo <= 0 else "worse than Optuna"
            if hi < 0:
                verdict = "better than Optuna"
            print(f"- {b} epochs, {method}: {np.median(a):.2f} vs {np.median(o):.2f} "
                  f"({d:+.2f}, [{lo:+.2f}, {hi:+.2f}]): {verdict}")


if __name__ == "__main__":
    main()
