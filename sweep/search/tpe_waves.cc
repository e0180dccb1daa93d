#include "sweep/search/tpe_waves.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "base/random.h"
#include "storage/layout.h"
#include "storage/result.h"
#include "sweep/search/halving.h"
#include "sweep/search/tpe.h"

namespace sweep::search {
namespace {

using nlohmann::json;

constexpr uint64_t kTpeStream = 0x747065;  // "tpe"

int RowsBefore(const BayesSearch& b, int wave) { return std::min(b.run_cap, wave * b.wave_size); }

// The loss of row `index` from its result.json; +inf when it has no finite metric.
StatusOr<double> Loss(storage::Store& store, int index, const std::string& metric, bool maximize) {
  StatusOr<std::string> text = store.Get(storage::ResultPath("", index));
  if (text.status().code() == StatusCode::kNotFound) return std::numeric_limits<double>::infinity();
  if (!text.ok()) return text.status();
  StatusOr<storage::RunResult> r = storage::ParseResult(*text);
  if (!r.ok() || !r->succeeded()) return std::numeric_limits<double>::infinity();
  auto it = r->metrics.find(metric);
  if (it == r->metrics.end() || !std::isfinite(it->second)) {
    return std::numeric_limits<double>::infinity();
  }
  return maximize ? -it->second : it->second;
}

StatusOr<std::vector<Observation>> Observe(storage::Store& store, const Spec& spec, int wave,
                                           const std::string& metric, bool maximize) {
  std::vector<Observation> out;
  for (int w = 0; w < wave; ++w) {
    SWEEP_ASSIGN_OR_RETURN(std::vector<json> rows, WaveRows(store, spec, w));
    for (size_t s = 0; s < rows.size(); ++s) {
      const int index = w * spec.bayes->wave_size + static_cast<int>(s);
      SWEEP_ASSIGN_OR_RETURN(double loss, Loss(store, index, metric, maximize));
      out.push_back({rows[s], loss});
    }
  }
  return out;
}

}  // namespace

WaveProposal ProposeWave(const Spec& spec, int wave, std::vector<Observation> obs) {
  const BayesSearch& b = *spec.bayes;
  WaveProposal out;
  for (const Observation& o : obs) out.finite += std::isfinite(o.loss);
  const int first = RowsBefore(b, wave), end = RowsBefore(b, wave + 1);
  for (int index = first; index < end; ++index) {
    const int slot = index - first;
    json row;
    if (out.finite < kTpeStartupRows || slot % kRandomEvery == kRandomEvery - 1) {
      row = spec.rows[index];
      out.random.push_back(slot);
    } else {
      Xoshiro256Rng rng(SubSeed(b.seed, kTpeStream), static_cast<uint64_t>(index));
      row = ProposeTpe(b, obs, rng);
    }
    obs.push_back({row, std::numeric_limits<double>::infinity()});  // the constant liar
    out.rows.push_back(std::move(row));
  }
  return out;
}

StatusOr<std::string> ComputeWave(storage::Store& store, const Spec& spec, int wave) {
  std::string metric;
  bool maximize = true;
  SWEEP_RETURN_IF_ERROR(RankMetric(spec, &metric, &maximize));
  SWEEP_ASSIGN_OR_RETURN(std::vector<Observation> obs,
                         Observe(store, spec, wave, metric, maximize));
  WaveProposal p = ProposeWave(spec, wave, std::move(obs));
  const json doc = {{"format_version", kWaveFormatVersion},
                    {"wave", wave},
                    {"first_row", RowsBefore(*spec.bayes, wave)},
                    {"metric", metric},
                    {"goal", maximize ? "maximize" : "minimize"},
                    {"observed", RowsBefore(*spec.bayes, wave)},
                    {"finite", p.finite},
                    {"random", p.random},
                    {"rows", p.rows}};
  return doc.dump() + "\n";
}

StatusOr<std::vector<json>> WaveRows(storage::Store& store, const Spec& spec, int wave) {
  const BayesSearch& b = *spec.bayes;
  if (wave == 0) {
    return std::vector<json>(spec.rows.begin(), spec.rows.begin() + RowsBefore(b, 1));
  }
  const std::string key = storage::WavePath("", wave);
  StatusOr<std::string> text = store.Get(key);
  if (text.status().code() == StatusCode::kNotFound) {
    SWEEP_ASSIGN_OR_RETURN(std::string made, ComputeWave(store, spec, wave));
    SWEEP_ASSIGN_OR_RETURN(bool created, store.Create(key, made));
    text = created ? made : store.Get(key);
    if (text.ok() && *text != made) {
      return Status::Corruption(key +
                                ": another process wrote a different proposal from the "
                                "same results (were rows of earlier waves still running?)");
    }
  }
  if (!text.ok()) return text.status();
  json doc = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || doc.value("format_version", 0) != kWaveFormatVersion ||
      !doc.contains("rows") || !doc["rows"].is_array() ||
      doc["rows"].size() != static_cast<size_t>(RowsBefore(b, wave + 1) - RowsBefore(b, wave))) {
    return Status::Corruption(key + ": not a wave of format version 1 for this spec");
  }
  return doc["rows"].get<std::vector<json>>();
}

StatusOr<DecisionCheck> CheckWaves(storage::Store& store, const Spec& spec) {
  DecisionCheck check;
  for (int w = 1; w < spec.bayes->waves(); ++w) {
    const std::string key = storage::WavePath("", w);
    StatusOr<std::string> there = store.Get(key);
    if (there.status().code() == StatusCode::kNotFound) break;
    if (!there.ok()) return there.status();
    SWEEP_ASSIGN_OR_RETURN(std::string text, ComputeWave(store, spec, w));
    ++check.checked;
    if (text != *there) {
      check.problems.push_back(key + ": differs from the proposal the earlier results give");
      check.lines.push_back(check.problems.back());
    } else {
      check.lines.push_back(key + ": ok");
    }
  }
  return check;
}

}  // namespace sweep::search
