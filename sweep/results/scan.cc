#include "sweep/results/scan.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <thread>

#include "base/cpu.h"
#include "base/file.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "sweep/results/result_text.h"

namespace sweep {
namespace {

// A folder or key name that is a row index: digits only, no leading zero ("0" itself is fine).
bool ParseIndexName(std::string_view name, int* index) {
  if (name.empty() || name.size() > 9) return false;
  if (name.size() > 1 && name[0] == '0') return false;
  int value = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *index = value;
  return true;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

struct KeysOfRow {  // which of a row's files a store listing showed
  bool result = false, log = false, checkpoint = false;
};

struct Found {
  std::vector<int> indices;          // index folders / keys found, sorted
  std::vector<std::string> foreign;  // entries that are not part of the layout
};

Found ListLocalRoot(const std::string& root, Status* status) {
  Found found;
  DIR* dir = ::opendir(root.c_str());
  if (dir == nullptr) {
    *status = FromErrno(errno, root);
    return found;
  }
  while (struct dirent* e = ::readdir(dir)) {
    std::string_view name = e->d_name;
    if (name.empty() || name[0] == '.') continue;  // ., .., temp files of atomic writes
    int index = 0;
    if (ParseIndexName(name, &index)) {
      found.indices.push_back(index);
    } else if (!storage::IsOwnRootEntry(name)) {
      found.foreign.emplace_back(name);
    }
  }
  ::closedir(dir);
  std::sort(found.indices.begin(), found.indices.end());
  std::sort(found.foreign.begin(), found.foreign.end());
  return found;
}

// The rows of a local root, on `threads` threads. A result.json that cannot be read for a
// transient reason (EIO, EMFILE, ...: FromErrno's Unavailable) fails the scan, as on a store;
// any other reason (permission, a folder in its place) makes the row corrupt, with the reason.
Status ScanLocalRows(const std::string& root, const std::vector<int>& indices, int threads,
                     bool keep_history, std::vector<RowRecord>* rows) {
  size_t n = std::max<size_t>(1, std::min<size_t>(threads, indices.size() / 256 + 1));
  std::vector<Status> failed(n);  // each thread's first transient error
  auto work = [&](size_t begin, size_t step) {
    std::string text;
    text.reserve(8192);
    for (size_t i = begin; i < indices.size() && failed[begin].ok(); i += step) {
      int index = indices[i];
      int error = 0;
      const std::string path = storage::ResultPath(root, index);
      bool present = ReadSmallFile(path, &text, &error);
      RowRecord& rec = (*rows)[index];
      if (error != 0) {
        Status s = FromErrno(error, path);
        if (s.code() == StatusCode::kUnavailable) failed[begin] = std::move(s);
        rec.state = RowState::kCorrupt;
        rec.problem = std::string(storage::kResultFile) + ": " + std::strerror(error);
        continue;
      }
      bool has_log = !present && Exists(storage::LogPath(root, index));
      if (present && !keep_history) DropHistory(&text);
      rec = ClassifyRow(index, present ? std::optional<std::string>(text) : std::nullopt, has_log);
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < n; ++t) pool.emplace_back(work, t, n);
  work(0, n);
  for (auto& th : pool) th.join();
  for (Status& s : failed) SWEEP_RETURN_IF_ERROR(s);
  return Status::Ok();
}

// Any store (S3): one List, then one Get per result.json.
Status ScanStoreRows(storage::Store& store, Found* found, std::map<int, KeysOfRow>* keys) {
  StatusOr<std::vector<std::string>> listed = store.List("");
  if (!listed.ok()) return listed.status().WithContext("list " + store.root());
  for (const std::string& key : *listed) {
    size_t slash = key.find('/');
    int index = 0;
    if (slash == std::string::npos ||
        !ParseIndexName(std::string_view(key).substr(0, slash), &index)) {
      if (!storage::IsOwnRootEntry(std::string_view(key).substr(0, slash))) {
        found->foreign.push_back(key);
      }
      continue;
    }
    std::string rest = key.substr(slash + 1);
    auto& entry = (*keys)[index];
    if (rest == storage::kResultFile) entry.result = true;
    if (rest == storage::kWorkerLogFile) entry.log = true;
    if (key == storage::CheckpointPath("", index)) entry.checkpoint = true;
  }
  for (const auto& [index, entry] : *keys) found->indices.push_back(index);
  return Status::Ok();
}

// Rows without a result that have a checkpoint: unfinished, and where they stand. Local: the
// file's first bytes; a store: the checkpoints its listing showed (few: rows in progress).
// Errors: Unavailable when a store cannot read a checkpoint it listed.
Status ReadCheckpointPositions(storage::Store& store, const std::string& local_root,
                               const std::map<int, KeysOfRow>& keys, Scan* scan) {
  for (size_t i = 0; i < scan->rows.size(); ++i) {
    RowRecord& rec = scan->rows[i];
    if (rec.state != RowState::kMissing && rec.state != RowState::kUnfinished) continue;
    const int index = static_cast<int>(i);
    std::string head;
    if (!local_root.empty()) {
      int error = 0;
      if (!ReadSmallFile(storage::CheckpointPath(local_root, index), &head, &error,
                         storage::kCheckpointHeadBytes)) {
        continue;
      }
    } else {
      auto it = keys.find(index);
      if (it == keys.end() || !it->second.checkpoint) continue;
      StatusOr<std::string> got = store.Get(storage::CheckpointPath("", index));
      if (!got.ok() && got.status().code() == StatusCode::kUnavailable) return got.status();
      if (!got.ok()) continue;
      head = std::move(got).value();
    }
    StatusOr<storage::CheckpointPosition> position = storage::PeekCheckpoint(head);
    if (!position.ok()) continue;
    rec.checkpoint = *position;
    rec.state = RowState::kUnfinished;
  }
  return Status::Ok();
}

// One row of a store from its listing: result.json read with Get. A result deleted since the
// listing (a replan moving it aside) is absent; one that cannot be read for another reason than
// a transient one is corrupt, with the reason. Errors: Unavailable (transient: the whole scan
// fails rather than report a finished row as missing, which `sweep run` would train again).
Status ClassifyStoreRow(storage::Store& store, int index, const KeysOfRow& keys, RowRecord* rec) {
  std::optional<std::string> text;
  if (keys.result) {
    StatusOr<std::string> got = store.Get(storage::ResultPath("", index));
    if (got.ok()) {
      text = std::move(got).value();
    } else if (got.status().code() == StatusCode::kUnavailable) {
      return got.status();
    } else if (got.status().code() != StatusCode::kNotFound) {
      rec->state = RowState::kCorrupt;
      rec->problem = std::string(storage::kResultFile) + ": " + got.status().message();
      return Status::Ok();
    }
  }
  *rec = ClassifyRow(index, text, keys.log);
  return Status::Ok();
}

}  // namespace

std::string_view RowStateName(RowState state) {
  switch (state) {
    case RowState::kMissing:
      return "missing";
    case RowState::kUnfinished:
      return "unfinished";
    case RowState::kSucceeded:
      return "succeeded";
    case RowState::kFailed:
      return "failed";
    case RowState::kCorrupt:
      return "corrupt";
    case RowState::kDiverged:
      return "diverged";
  }
  return "?";
}

std::vector<int> Scan::IndicesIn(RowState state) const {
  std::vector<int> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].state == state) out.push_back(static_cast<int>(i));
  }
  return out;
}

RowRecord ClassifyRow(int index, const std::optional<std::string>& result_text, bool has_log) {
  RowRecord rec;
  if (!result_text) {
    rec.state = has_log ? RowState::kUnfinished : RowState::kMissing;
    return rec;
  }
  StatusOr<storage::RunResult> parsed = storage::ParseResult(*result_text);
  if (!parsed.ok()) {
    rec.state = RowState::kCorrupt;
    rec.problem = "result.json: " + parsed.status().message();
    return rec;
  }
  if (parsed->index != index) {
    rec.state = RowState::kCorrupt;
    rec.problem = "result.json is for index " + std::to_string(parsed->index);
    return rec;
  }
  switch (parsed->status) {
    case storage::ResultStatus::kSucceeded:
      rec.state = RowState::kSucceeded;
      break;
    case storage::ResultStatus::kFailed:
      rec.state = RowState::kFailed;
      break;
    case storage::ResultStatus::kDiverged:
      rec.state = RowState::kDiverged;
      break;
  }
  rec.result = std::move(parsed).value();
  return rec;
}

std::string RerunCommand(const Scan& scan, const std::string& extra) {
  if (scan.plan) return sweep::RerunCommand(*scan.plan, scan.root, extra);
  return "sweep run SPEC --storage " + ShellQuote(scan.root) + (extra.empty() ? "" : " " + extra);
}

StatusOr<Scan> ScanStorage(const std::string& root, const ScanOptions& options) {
  SWEEP_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::OpenStore(root));
  return ScanStore(*store, options);
}

StatusOr<Scan> ScanStore(storage::Store& store, const ScanOptions& options) {
  const std::string& root = store.root();
  Scan scan;
  scan.root = root;
  std::string local_root = store.LocalPath("");
  if (!local_root.empty() && !Exists(local_root)) {
    return Status::NotFound(root + ": no such folder");
  }
  StatusOr<std::optional<Plan>> plan = ReadPlan(store);
  if (plan.ok()) {
    scan.plan = std::move(*plan);
  } else if (plan.status().code() == StatusCode::kUnavailable) {
    return plan.status();  // without the plan the row count, hence the missing rows, are wrong
  } else {
    scan.problems.push_back("sweep.json: " + plan.status().message());
  }

  Found found;
  std::map<int, KeysOfRow> keys;
  if (!local_root.empty()) {
    Status st;
    found = ListLocalRoot(local_root, &st);
    SWEEP_RETURN_IF_ERROR(st);
  } else {
    SWEEP_RETURN_IF_ERROR(ScanStoreRows(store, &found, &keys));
  }
  for (const auto& name : found.foreign) scan.problems.push_back(name + ": not part of a sweep");

  scan.expected = options.expected >= 0 ? options.expected
                  : scan.plan           ? scan.plan->count()
                                        : (found.indices.empty() ? 0 : found.indices.back() + 1);
  std::vector<int> in_range;
  in_range.reserve(found.indices.size());
  for (int index : found.indices) {
    if (index < scan.expected) {
      in_range.push_back(index);
    } else {
      scan.problems.push_back(std::to_string(index) + ": index beyond the plan's " +
                              std::to_string(scan.expected) + " rows");
    }
  }
  scan.rows.resize(scan.expected);
  if (!local_root.empty()) {
    int threads = options.threads > 0 ? options.threads : std::min(4, AvailableCpus());
    SWEEP_RETURN_IF_ERROR(
        ScanLocalRows(local_root, in_range, threads, options.keep_history, &scan.rows));
  } else {
    for (int index : in_range) {
      SWEEP_RETURN_IF_ERROR(ClassifyStoreRow(store, index, keys[index], &scan.rows[index]));
    }
  }
  if (!local_root.empty()) {
    // Slurm keeps a row's output in its task log, not in {index}/worker.log.
    const std::string slurm_logs = storage::SlurmLogDir(local_root);
    for (auto& [index, log] : ReadTaskLogs(slurm_logs, scan.IndicesIn(RowState::kMissing))) {
      if (log.error.empty()) {
        scan.rows[index].state = RowState::kUnfinished;  // started: running, or killed
      } else {
        scan.rows[index].logged = LoggedError{std::move(log.error), std::move(log.path)};
      }
    }
  }
  SWEEP_RETURN_IF_ERROR(ReadCheckpointPositions(store, local_root, keys, &scan));
  for (size_t i = 0; i < scan.rows.size(); ++i) {
    if (scan.rows[i].state == RowState::kCorrupt) {
      scan.problems.push_back(std::to_string(i) + "/" + scan.rows[i].problem);
    }
  }
  return scan;
}

}  // namespace sweep
