// `method: bayes` as waves of TPE proposals, with no server: wave 0 is the spec's random rows
// 0..wave_size-1; wave w >= 1 (rows w*wave_size ..) is a file, {root}/waves/{w}.json
// (storage/layout.h), a pure function of the rows and result.json files of every earlier wave,
// computed by whichever process needs it first (the runner, or a worker of the wave) and created
// create-only, compared byte for byte when another process created it first.
// A wave's slots, in order: slot s is random (the spec's random row, as `method: random` draws
// it) when s % 4 == 3 (a fixed random share of 1/4) or while fewer than 10 earlier rows have a
// finite metric (Optuna's n_startup_trials); every other slot is one ProposeTpe (tpe.h) over the
// earlier rows (loss: the metric, negated when maximised; +inf for failed, diverged, missing and
// NaN rows) and this wave's earlier slots as +inf (the constant liar, so a wave spreads out),
// drawn from xoshiro256** stream `row index` of SubSeed(seed, "tpe").
// Format version 1 (one line of JSON, keys sorted, numbers as the shortest text that reads back):
// {"first_row": 8, "format_version": 1, "goal": "maximize", "metric": "val_accuracy",
//  "observed": 8, "finite": 8, "random": [3, 7], "rows": [{...}, ...], "wave": 1}
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/store.h"
#include "sweep/search/rung_decision.h"
#include "sweep/search/tpe.h"
#include "sweep/spec/spec.h"

namespace sweep::search {

inline constexpr int kWaveFormatVersion = 1;
inline constexpr int kTpeStartupRows = 10;
inline constexpr int kRandomEvery = 4;  // slot s is random when s % 4 == 3

// A wave's rows as the pure rule gives them (ComputeWave without storage; bench/search_sim.cc
// replays it on a table).
struct WaveProposal {
  std::vector<nlohmann::json> rows;  // rows first..end-1 of the wave
  std::vector<int> random;           // the slots that took the spec's random row
  int finite = 0;                    // earlier rows with a finite loss
};

// Wave `wave` >= 1 of a bayes spec from `observed`: every earlier row in row order (rows
// 0..wave*wave_size-1, capped at run_cap), its loss (tpe.h: the metric, negated when maximised;
// +inf without a finite value).
WaveProposal ProposeWave(const Spec& spec, int wave, std::vector<Observation> observed);

// The rows of `wave` (requires spec.bayes): read, or computed from the earlier waves and
// created. Errors: Unavailable for storage trouble; Corruption for an unreadable wave file or
// another writer's different proposal.
StatusOr<std::vector<nlohmann::json>> WaveRows(storage::Store& store, const Spec& spec, int wave);

// The text of wave `wave` >= 1 from what is in `store` now.
StatusOr<std::string> ComputeWave(storage::Store& store, const Spec& spec, int wave);

// Every wave file in storage recomputed and compared byte for byte (`sweep plan --check`).
StatusOr<DecisionCheck> CheckWaves(storage::Store& store, const Spec& spec);

}  // namespace sweep::search
