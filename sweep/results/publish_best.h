// `sweep collect ROOT --publish-best`: a fixed-name copy of the best row's model, for readers
// that want one key (a Lambda function reading one object, a plain Keras user):
//
//   {root}/best/model.h5    byte for byte the best row's model.h5 (loads in h5py/Keras as any)
//   {root}/best/best.json   {"format_version": 1, "index": 3, "metric": "val_accuracy",
//                            "goal": "max", "value": 0.9412, "params": {...},
//                            "source": "{root}/3/model/model.h5",
//                            "published_at": "2026-12-07T08:00:00Z"}
// Each object is published atomically (storage::Store: temp + rename, or one S3 PUT); best.json
// is written after model.h5, so once best.json names a row, model.h5 is that row's (or a later
// publish's). Paths from storage/layout.h (BestModelPath, BestInfoPath).
#pragma once

#include <string>

#include "base/status.h"
#include "sweep/results/leaderboard.h"
#include "sweep/results/scan.h"

namespace sweep {

inline constexpr int kBestInfoFormatVersion = 1;

// The best.json text for row `index` of `scan` ranked by `metric`, published at `now` (UTC).
std::string BestInfoJson(const Scan& scan, int index, const MetricChoice& metric, std::time_t now);

// Publishes the first row of `board` under {scan.root}/best/. Returns its index.
// Errors: NotFound (no succeeded row), and the store's (Unavailable, ...).
StatusOr<int> PublishBest(const Scan& scan, const Leaderboard& board);

}  // namespace sweep
