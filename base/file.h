// Atomic publication of local files: a reader sees the old file, the new file, or nothing,
// never half of one, even if the writer is SIGKILLed or the machine loses power.
//
// Recipe: write `{dir}/.{name}.tmp.{pid}.{n}`, fsync it, rename over `{path}`, fsync the folder.
// On failure the temp file is removed. Rerunning overwrites cleanly.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace sweep {

// Creates missing parent folders. Errors: Unavailable (disk full, EIO, ...), InvalidArgument
// (permission denied, path is a folder).
Status WriteFileAtomic(const std::string& path, std::string_view contents);

// A temp path in the same folder as `path`, unique to this process and call.
std::string TempPathFor(const std::string& path);

// Whether a file name (no folder) is one TempPathFor makes: ".{name}.tmp.{pid}.{n}", left
// behind when a write was interrupted. The one parser of temp names.
bool IsTempName(std::string_view name);

// Removes the temp files in `dir` (not below it) whose writer is gone: names IsTempName accepts
// whose pid is not a live process on this machine (a SIGKILLed writer leaves them; no later run
// would see them). A row folder has one writer at a time, so a pid that is not alive here is
// not writing. Returns how many it removed; errors are ignored (best effort).
int RemoveStaleTemps(const std::string& dir);

// fsync(path) then rename(path, target) then fsync(folder of target).
Status CommitFile(const std::string& temp_path, const std::string& target);

// WriteFileAtomic in two steps, for callers that overlap the slow first step (a write and an
// fsync) with other work. WriteSyncedTemp creates the parent folders, writes `contents` to
// TempPathFor(path) and fsyncs it; it returns the temp path and leaves nothing on failure.
// RenameSynced renames that file over `target` and fsyncs the folder; it removes the temp file
// when the rename fails (a caller that gives up before renaming removes it itself).
StatusOr<std::string> WriteSyncedTemp(const std::string& path, std::string_view contents);
Status RenameSynced(const std::string& synced_temp, const std::string& target);
// Create-only publish: writes `contents` to a synced temp file, then links it at `path` only
// if nothing is there (link(2) fails with EEXIST otherwise), so readers never see a partial
// file and two writers never replace each other. True when this call created it; false when
// `path` already existed (nothing written). Where the file system allows (O_TMPFILE: ext4, xfs,
// btrfs, tmpfs) the file is unnamed until linked, so a writer killed at any moment leaves no
// temp file behind (rungs/ and waves/ have several writers: RemoveStaleTemps cannot tidy them).
StatusOr<bool> CreateFileExclusive(const std::string& path, std::string_view contents);
// What CreateFileExclusive falls back to without unnamed files: a named temp file (".{name}.tmp
// .{pid}.{n}", hard-linked at `path`, then removed), which a writer killed between its creation
// and its removal leaves behind. Public so that tests run it on any file system.
StatusOr<bool> CreateFileExclusiveThroughTemp(const std::string& path, std::string_view contents);

Status ReadFile(const std::string& path, std::string* contents);

// mkdir -p. Maps errno through FromErrno.
Status CreateDirectories(const std::string& path);

// Checks that `dir` exists or can be created and that a file can be created in it.
Status CheckWritableDir(const std::string& dir);

// Owns a file descriptor: closes it on every path out of a scope (-1 holds nothing).
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd();
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }
  // Closes now and returns close()'s result: it can report a deferred write error (NFS).
  int Close();

 private:
  int fd_;
};

// An advisory exclusive lock on `path` (flock; the file is created; TryLock writes the holder's
// pid and start time into it for the message of whoever finds it taken). Released when the
// object goes or the process ends in any way; never inherited by child processes.
class FileLock {
 public:
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock();
  // Errors: Unavailable "held by ..." (with what the holder wrote) when another process holds
  // it; FromErrno's mapping when the file cannot be opened.
  static StatusOr<FileLock> TryLock(const std::string& path);
  // Waits until the lock is free (another process holding it: a worker fetching the same input).
  // Writes no note. Errors: FromErrno's mapping.
  static StatusOr<FileLock> Lock(const std::string& path);

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// One translation of errno into Status: ENOSPC/EFBIG/EIO/EAGAIN/ESTALE... -> Unavailable,
// ENOENT -> NotFound, EACCES/EISDIR/ENOTDIR/EROFS -> InvalidArgument.
Status FromErrno(int err, std::string_view what);

// Ok when `mode` (stat's st_mode) is a regular file; else InvalidArgument naming what `path` is:
// "PATH: is a folder, not a data file" (`what_for` after "not a"), "PATH: is not a regular
// file (a device, FIFO or socket)". Readers check before opening: a FIFO blocks an open (HDF5's
// forever), a device never ends.
Status CheckRegularFile(const std::string& path, unsigned mode, std::string_view what_for);

}  // namespace sweep
