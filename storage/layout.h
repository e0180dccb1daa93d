// Every path of the storage layout, in one place. Nobody else concatenates storage paths.
//
//   {root}/sweep.json                 frozen plan written by `sweep run` (spec, rows, hash, count)
//   {root}/{index}/model/model.h5     Keras-2-readable weights of row `index`
//   {root}/{index}/result.json        metrics; written last, so its presence means "finished"
//   {root}/{index}/worker.log         the worker's output under `sweep run`
//
// `root` may be a local folder or an s3://bucket/prefix URI; the same joins apply.
#pragma once

#include <string>

namespace sweep::storage {

std::string JoinPath(const std::string& root, const std::string& rel);
std::string IndexDir(const std::string& root, int index);
std::string ModelDir(const std::string& root, int index);
std::string ModelPath(const std::string& root, int index);
std::string ResultPath(const std::string& root, int index);
std::string LogPath(const std::string& root, int index);
std::string PlanPath(const std::string& root);

// True for "s3://..." URIs.
bool IsS3Uri(const std::string& path);

}  // namespace sweep::storage
