// search_sim: random search, successive halving, Hyperband and TPE waves replayed on the replay
// table (bench/search_replay.h), over many seeds, in seconds. Prints markdown (bench/RESULTS.md,
// "Adaptive search").
//
//   search_sim --table bench/data/search_table.jsonl --spec bench/search_space.yml
//       [--seeds 100] [--budgets 243,729,2187,6561] [--reach-rows 64] [--wave-size 8]
//
// Per budget B (epochs): random search and TPE waves of B / epochs rows; successive halving
// (brackets 1) and Hyperband (brackets 4) with the most rows whose plan trains at most B epochs.
// Regret in percentage points: the table's best final test accuracy - the chosen row's.
// Rows to reach: T = the median over seeds of random search's best-of-N test accuracy; per seed,
// the rows random search and TPE waves need until their chosen row's test accuracy is >= T.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/random.h"
#include "bench/search_replay.h"

namespace {

using sweep::StatusOr;
using sweep::bench::Outcome;
using sweep::bench::ReplayTable;

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * (v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

struct Runs {
  std::vector<double> regret_pp, test, epochs;
  std::vector<Outcome> outcomes;
};

using Method = std::function<StatusOr<Outcome>(uint64_t seed)>;

StatusOr<Runs> RunSeeds(const ReplayTable& table, int seeds, const Method& method) {
  Runs runs;
  for (int s = 0; s < seeds; ++s) {
    SWEEP_ASSIGN_OR_RETURN(Outcome o, method(static_cast<uint64_t>(s)));
    runs.regret_pp.push_back(100 * (table.best_test - o.test));
    runs.test.push_back(o.test);
    runs.epochs.push_back(static_cast<double>(o.epochs));
    runs.outcomes.push_back(std::move(o));
  }
  return runs;
}

// The most rows (at most `cap`) whose halving plan trains at most `budget` epochs; 0 when none.
int RowsForBudget(const std::string& grid, int64_t budget, int brackets, int cap) {
  int lo = 0, hi = cap;
  while (lo < hi) {
    const int mid = (lo + hi + 1) / 2;
    StatusOr<int64_t> e = sweep::bench::HalvingPlanEpochs(grid, mid, brackets);
    // Too few rows for the brackets is an error: such a count is below any fitting one.
    if (!e.ok() || *e <= budget) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo > 0 && sweep::bench::HalvingPlanEpochs(grid, lo, brackets).ok() ? lo : 0;
}

void PrintRow(const std::string& method, int64_t budget, const std::string& rows, const Runs& r) {
  std::printf("| %s | %lld | %s | %.0f | %.2f | %.2f-%.2f | %.2f |\n", method.c_str(),
              static_cast<long long>(budget), rows.c_str(), Quantile(r.epochs, 0.5),
              Quantile(r.regret_pp, 0.5), Quantile(r.regret_pp, 0.25), Quantile(r.regret_pp, 0.75),
              100 * Quantile(r.test, 0.5));
}

// The first row count (1-based) whose chosen test accuracy reaches `target`; rows + 1 when none.
double RowsToReach(const Outcome& o, double target) {
  for (size_t k = 0; k < o.test_after_row.size(); ++k) {
    if (o.test_after_row[k] >= target) return static_cast<double>(k + 1);
  }
  return static_cast<double>(o.test_after_row.size() + 1);
}

int Fail(const sweep::Status& s) {
  std::fprintf(stderr, "search_sim: %s\n", s.ToString().c_str());
  return 1;
}

struct Options {
  std::string grid;  // the grid spec's text
  int seeds = 100, reach_rows = 64, wave_size = 8;
  std::vector<int64_t> budgets = {243, 729, 2187, 6561};
};

using AllRuns = std::map<std::string, std::map<int64_t, Runs>>;  // method -> budget -> runs

// The regret-vs-epochs table: every method at every budget.
StatusOr<AllRuns> PrintBudgetTable(const ReplayTable& table, const Options& o) {
  const std::string& grid = o.grid;
  std::printf(
      "| method | budget (epochs) | rows | epochs (median) | regret pp (median) | "
      "regret p25-p75 | test acc %% (median) |\n|---|---|---|---|---|---|---|\n");
  AllRuns all;
  for (int64_t b : o.budgets) {
    const int full = static_cast<int>(b / table.epochs);
    const int sh = RowsForBudget(grid, b, 1, 3 * static_cast<int>(b));
    const int hb = RowsForBudget(grid, b, 4, 3 * static_cast<int>(b));
    const std::vector<std::pair<std::string, std::pair<int, Method>>> methods = {
        {"random", {full, [&](uint64_t s) { return ReplayRandom(table, grid, full, s); }}},
        {"halving", {sh, [&](uint64_t s) { return ReplayHalving(table, grid, sh, 1, s); }}},
        {"hyperband", {hb, [&](uint64_t s) { return ReplayHalving(table, grid, hb, 4, s); }}},
        {"tpe-waves",
         {full, [&](uint64_t s) { return ReplayTpeWaves(table, grid, full, o.wave_size, s); }}},
    };
    for (const auto& [name, m] : methods) {
      if (m.first < 1) continue;
      StatusOr<Runs> r = RunSeeds(table, o.seeds, m.second);
      if (!r.ok()) return r.status().WithContext(name);
      PrintRow(name, b, std::to_string(m.first), *r);
      all[name][b] = std::move(*r);
    }
  }
  return all;
}

void WritePerSeed(const AllRuns& all, const std::string& path) {
  nlohmann::json doc;
  for (const auto& [name, by_budget] : all) {
    for (const auto& [b, runs] : by_budget) doc[name][std::to_string(b)] = runs.regret_pp;
  }
  std::ofstream(path) << doc.dump() << "\n";
}

void PrintGoal1(AllRuns& all, const std::vector<int64_t>& budgets) {
  std::printf("\nGoal 1, successive halving at a third of random search's epochs:\n\n");
  for (int64_t b : budgets) {
    if (!all["random"].count(b) || !all["halving"].count(b / 3) || b % 3) continue;
    const double rs = 100 * Quantile(all["random"][b].test, 0.5);
    const double sh = 100 * Quantile(all["halving"][b / 3].test, 0.5);
    std::printf(
        "- random %lld epochs: median test %.2f%%; halving %lld epochs: %.2f%% "
        "(%+.2f pp): %s\n",
        static_cast<long long>(b), rs, static_cast<long long>(b / 3), sh, sh - rs,
        sh >= rs - 0.5 ? "met" : "not met");
  }
}

// The 2.5% and 97.5% quantiles of median(a*) - median(b*) over 10,000 bootstrap resamples of
// each side (xoshiro256** seeded 0: the same interval every run).
std::pair<double, double> MedianDifferenceInterval(const std::vector<double>& a,
                                                   const std::vector<double>& b) {
  sweep::Xoshiro256Rng rng(0, 0);
  auto resample = [&](const std::vector<double>& v) {
    std::vector<double> r(v.size());
    for (double& x : r) x = v[sweep::UniformBelow(rng, v.size())];
    return Quantile(std::move(r), 0.5);
  };
  std::vector<double> diffs;
  for (int i = 0; i < 10000; ++i) {
    const double da = resample(a);
    diffs.push_back(da - resample(b));
  }
  return {Quantile(diffs, 0.025), Quantile(diffs, 0.975)};
}

int Reached(const std::vector<double>& rows, int n) {
  return static_cast<int>(
      std::count_if(rows.begin(), rows.end(), [&](double r) { return r <= n; }));
}

sweep::Status PrintGoal2(const ReplayTable& table, const Options& o) {
  const int n = o.reach_rows;
  std::printf("\nGoal 2, rows to reach random search's best-of-%d:\n\n", n);
  SWEEP_ASSIGN_OR_RETURN(Runs rs, RunSeeds(table, o.seeds, [&](uint64_t s) {
                           return ReplayRandom(table, o.grid, n, s);
                         }));
  SWEEP_ASSIGN_OR_RETURN(Runs tpe, RunSeeds(table, o.seeds, [&](uint64_t s) {
                           return ReplayTpeWaves(table, o.grid, n, o.wave_size, s);
                         }));
  const double target = Quantile(rs.test, 0.5);
  std::vector<double> rs_rows, tpe_rows;
  for (const Outcome& x : rs.outcomes) rs_rows.push_back(RowsToReach(x, target));
  for (const Outcome& x : tpe.outcomes) tpe_rows.push_back(RowsToReach(x, target));
  const double rs_med = Quantile(rs_rows, 0.5), tpe_med = Quantile(tpe_rows, 0.5);
  std::printf(
      "- target %.2f%% (median best-of-%d); median rows to reach it: random %.1f, "
      "TPE waves of %d %.1f (%d + 1 = not reached): %s\n",
      100 * target, n, rs_med, o.wave_size, tpe_med, n, tpe_med < rs_med ? "met" : "not met");
  const auto [lo, hi] = MedianDifferenceInterval(tpe_rows, rs_rows);
  std::printf("- median rows, TPE waves - random: %+.1f, 95%% bootstrap interval [%+.1f, %+.1f]\n",
              tpe_med - rs_med, lo, hi);
  std::printf("- reached within %d rows: random %d of %d seeds, TPE waves %d of %d\n", n,
              Reached(rs_rows, n), o.seeds, Reached(tpe_rows, n), o.seeds);
  return sweep::Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Replay adaptive search on the replay table (bench/RESULTS.md)"};
  std::string table_path, spec_path, per_seed_path;
  Options o;
  app.add_option("--table", table_path, "bench/data/search_table.jsonl")->required();
  app.add_option("--spec", spec_path, "the grid spec it was made from")->required();
  app.add_option("--seeds", o.seeds, "seeds 0..N-1 of every method");
  app.add_option("--budgets", o.budgets, "epoch budgets")->delimiter(',');
  app.add_option("--reach-rows", o.reach_rows, "N of random search's best-of-N");
  app.add_option("--wave-size", o.wave_size, "TPE wave size");
  app.add_option("--per-seed", per_seed_path,
                 "also write every seed's regret (pp) as JSON: {method: {budget: [...]}}");
  CLI11_PARSE(app, argc, argv);

  StatusOr<ReplayTable> table = sweep::bench::LoadReplayTable(table_path);
  if (!table.ok()) return Fail(table.status());
  if (sweep::Status read = sweep::ReadFile(spec_path, &o.grid); !read.ok()) return Fail(read);

  std::printf("Table: %zu rows, %d epochs, best final test accuracy %.2f%%; %d seeds.\n\n",
              table->rows.size(), table->epochs, 100 * table->best_test, o.seeds);
  StatusOr<AllRuns> all = PrintBudgetTable(*table, o);
  if (!all.ok()) return Fail(all.status());
  if (!per_seed_path.empty()) WritePerSeed(*all, per_seed_path);
  PrintGoal1(*all, o.budgets);
  sweep::Status goal2 = PrintGoal2(*table, o);
  return goal2.ok() ? 0 : Fail(goal2);
}
