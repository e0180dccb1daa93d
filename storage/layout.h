// Every name and path of the storage layout, in one place. Nobody else spells a storage file
// name or concatenates storage paths.
//
//   {root}/sweep.json                 frozen plan written by `sweep run` (spec, rows, hash, count)
//   {root}/{index}/model/model.h5     Keras-2-readable weights of row `index`
//   {root}/{index}/result.json        metrics; written last, so its presence means "finished"
//   {root}/{index}/worker.log         the worker's output under `sweep run`
//   {root}/{index}/checkpoint/checkpoint.bin   the row's paused training run
//   (storage/checkpoint.h);
//                                     removed after the final publish unless keep_checkpoint
//   {root}/{index}/bands/{epochs}.json   the row's record at a successive-halving band: its
//                                     metrics after `epochs` epochs (result.json's format, no
//                                     model); training goes on from the checkpoint if promoted
//   {root}/rungs/{bracket}-{rung}.json   the promotion into rung `rung` (>= 1) of a bracket:
//                                     written create-only by whoever needs it first
//                                     (sweep/search/halving.h)
//   {root}/waves/{wave}.json          the TPE proposal of wave `wave` (>= 1) of a method: bayes
//                                     spec: create-only, like rungs/ (sweep/search/tpe_waves.h)
//   {root}/history/{stamp}/           what `sweep run --replan` moved aside: the old sweep.json
//                                     and the {index}/... files of changed and removed rows
//   {root}/best/model.h5              a copy of the best row's model.h5 (`sweep collect
//                                     --publish-best`), for readers that want one fixed key
//   {root}/best/best.json             the row it is (sweep/results/publish_best.h); written last
//   {root}/.sweep.lock                advisory lock of the `sweep run` using the root (local only)
//   {root}/.slurm/                    Slurm task logs and sweep.sbatch (`sweep submit --engine
//                                     slurm`)
// Vertex AI custom training also exports the finished row, flat, to AIP_MODEL_DIR (the folder a
// Vertex Model's artifactUri names; worker/vertex.h):
//   {AIP_MODEL_DIR}/model.h5          the same model.h5
//   {AIP_MODEL_DIR}/result.json       the row's result.json, its "model" field "model.h5"
// For an s3:// or gs:// root, the logs stay on the machine that runs the engine, in the working
// folder:
//   sweep-logs/{index}/worker.log     `sweep run`
//   slurm-logs/                       `sweep submit --engine slurm`
//
// `root` may be a local folder or an s3://bucket/prefix URI; the same joins apply. A key is a
// path relative to a Store's root: the same functions with root "" (ResultPath("", 2) is
// "2/result.json").
#pragma once

#include <string>
#include <string_view>

namespace sweep::storage {

inline constexpr std::string_view kPlanFile = "sweep.json";       // in {root}
inline constexpr std::string_view kResultFile = "result.json";    // in {root}/{index}
inline constexpr std::string_view kWorkerLogFile = "worker.log";  // in {root}/{index}
inline constexpr std::string_view kSlurmLogDir = ".slurm";        // in {root}
inline constexpr std::string_view kLockFile = ".sweep.lock";      // in {root} (local roots)
inline constexpr std::string_view kHistoryDir = "history";        // in {root}
inline constexpr std::string_view kRungsDir = "rungs";            // in {root}: promotions
inline constexpr std::string_view kWavesDir = "waves";            // in {root}: TPE proposals
inline constexpr std::string_view kBestDir = "best";              // in {root}
inline constexpr std::string_view kBestInfoFile = "best.json";    // in {root}/best

std::string JoinPath(const std::string& root, const std::string& rel);
std::string IndexDir(const std::string& root, int index);
std::string ModelDir(const std::string& root, int index);
std::string ModelPath(const std::string& root, int index);
std::string ResultPath(const std::string& root, int index);
std::string LogPath(const std::string& root, int index);
std::string CheckpointPath(const std::string& root, int index);
std::string PlanPath(const std::string& root);
std::string BandPath(const std::string& root, int index, int epochs);  // {index}/bands/{e}.json
std::string RungPath(const std::string& root, int bracket, int rung);  // rungs/{b}-{r}.json
std::string WavePath(const std::string& root, int wave);               // waves/{w}.json
std::string LockPath(const std::string& root);  // {root}/.sweep.lock: held by a running `sweep run`
// {root}/history/{stamp}: one replan's moved-aside files; `stamp` is a UTC time, 20261207T041500Z.
std::string HistoryDir(const std::string& root, const std::string& stamp);
// Store keys under {root}/history/ start with HistoryPrefix() ("history/"); one replan's keys
// with HistoryPrefix(stamp) ("history/{stamp}/").
std::string HistoryPrefix(const std::string& stamp = "");
// Whether `top`, a name directly under {root} (a folder entry, or a key's first component), is
// one of the sweep's own files beside the row folders: sweep.json, history/, rungs/, waves/,
// best/, or a dot name (locks, logs, temp files). Scans report any other non-row name.
bool IsOwnRootEntry(std::string_view top);
// {root}/best/model.h5 and {root}/best/best.json; with root "" the store keys. Store keys under
// {root}/best/ start with BestPrefix() ("best/").
std::string BestModelPath(const std::string& root);
std::string BestInfoPath(const std::string& root);
std::string BestPrefix();
std::string SlurmLogDir(const std::string& root);
std::string SlurmScriptPath(const std::string& slurm_log_dir);  // {dir}/sweep.sbatch
std::string LocalLogPathForRemote(int index);                   // sweep-logs/{index}/worker.log
std::string SlurmLogDirForRemote(const std::string& cwd);       // {cwd}/slurm-logs
// "model/model.h5": where result.json's "model" field points, relative to the index folder.
std::string ModelPathInIndex();
// "model.h5" and "result.json": the keys of the Vertex AI export in AIP_MODEL_DIR.
std::string ExportModelKey();
std::string ExportResultKey();
// The index folder a model path lies in ("ROOT/3/model/model.h5" -> "ROOT/3"), or "" when the
// path is not laid out as {index folder}/model/model.h5.
std::string IndexDirOfModel(const std::string& model_path);

// True for "s3://..." URIs.
bool IsS3Uri(const std::string& path);
// True for "gs://..." URIs (Cloud Storage).
bool IsGcsUri(const std::string& path);
// An object store URI (s3:// or gs://): no local folder, no flock, no local path checks.
bool IsRemoteUri(const std::string& path);

}  // namespace sweep::storage
