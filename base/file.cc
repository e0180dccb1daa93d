#include "base/file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>

#include "base/strings.h"

namespace sweep {
namespace {

std::string ParentDir(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return FromErrno(errno, "write " + path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status FsyncPath(const std::string& path, bool is_dir) {
  ScopedFd fd(::open(path.c_str(), (is_dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC));
  if (fd.get() < 0) return FromErrno(errno, "open " + path);
  // Some file systems refuse fsync on a folder; the rename itself has happened, so go on.
  if (::fsync(fd.get()) != 0 && !(is_dir && (errno == EINVAL || errno == ENOTSUP))) {
    return FromErrno(errno, "fsync " + path);
  }
  return Status::Ok();
}

}  // namespace

Status FromErrno(int err, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += std::strerror(err);
  switch (err) {
    case ENOENT:
      return Status::NotFound(std::move(msg));
    case EACCES:
    case EPERM:
    case EROFS:
    case EISDIR:
    case ENOTDIR:
    case ENAMETOOLONG:
    case EEXIST:
    case ELOOP:
    case EINVAL:
    case EXDEV:
      return Status::InvalidArgument(std::move(msg));
    case EFBIG:  // a file size limit (RLIMIT_FSIZE) is the machine's, like a full disk
    case ENOSPC:
    case EIO:
    case EAGAIN:
    case ESTALE:
    case EINTR:
    case EBUSY:
    case EDQUOT:
    case ETIMEDOUT:
    case ENOLCK:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case ECONNRESET:
    case ETXTBSY:
    case ENETDOWN:
    case ENETUNREACH:
    case EHOSTUNREACH:
    case ECONNREFUSED:
    case ECONNABORTED:
      return Status::Unavailable(std::move(msg));
    default:
      return Status::Internal(std::move(msg));
  }
}

bool IsTempName(std::string_view name) {
  return name.size() > 1 && name[0] == '.' && name.find(".tmp.") != std::string_view::npos;
}

namespace {

// The {pid} of ".{name}.tmp.{pid}.{n}", or 0.
pid_t TempNamePid(std::string_view name) {
  const size_t at = name.rfind(".tmp.");
  if (!IsTempName(name) || at == std::string_view::npos) return 0;
  std::string_view rest = name.substr(at + 5);
  const size_t dot = rest.find('.');
  if (dot == 0 || dot == std::string_view::npos) return 0;
  long long pid = 0;
  for (char c : rest.substr(0, dot)) {
    if (c < '0' || c > '9' || pid > 1 << 30) return 0;
    pid = pid * 10 + (c - '0');
  }
  return static_cast<pid_t>(pid);
}

}  // namespace

int RemoveStaleTemps(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return 0;
  int removed = 0;
  while (const dirent* e = ::readdir(d)) {
    const pid_t pid = TempNamePid(e->d_name);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to signal)
    if (::unlinkat(::dirfd(d), e->d_name, 0) == 0) ++removed;
  }
  ::closedir(d);
  return removed;
}

std::string TempPathFor(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  std::string dir = ParentDir(path);
  // Built with append: GCC 12 warns falsely (-Wrestrict) on "." + std::string.
  std::string name(".");
  name.append(BaseName(path)).append(".tmp.").append(std::to_string(::getpid()));
  name.append(".").append(std::to_string(counter.fetch_add(1)));
  return path.find('/') == std::string::npos ? name : dir + (dir == "/" ? "" : "/") + name;
}

Status CreateDirectories(const std::string& path) {
  if (path.empty() || path == "." || path == "/") return Status::Ok();
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::Ok();
    return Status::InvalidArgument(path + ": exists and is not a folder");
  }
  if (path.find('/') != std::string::npos) {
    SWEEP_RETURN_IF_ERROR(CreateDirectories(ParentDir(path)));
  }
  if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) {
    return FromErrno(errno, "mkdir " + path);
  }
  return Status::Ok();
}

Status RenameSynced(const std::string& synced_temp, const std::string& target) {
  if (::rename(synced_temp.c_str(), target.c_str()) != 0) {
    Status s = FromErrno(errno, "rename " + synced_temp + " -> " + target);
    ::unlink(synced_temp.c_str());
    return s;
  }
  return FsyncPath(ParentDir(target), true);
}

Status CommitFile(const std::string& temp_path, const std::string& target) {
  if (Status s = FsyncPath(temp_path, false); !s.ok()) {
    ::unlink(temp_path.c_str());
    return s;
  }
  return RenameSynced(temp_path, target);
}

StatusOr<std::string> WriteSyncedTemp(const std::string& path, std::string_view contents) {
  SWEEP_RETURN_IF_ERROR(CreateDirectories(ParentDir(path)));
  std::string temp = TempPathFor(path);
  ScopedFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return FromErrno(errno, "create " + temp);
  Status s = WriteAll(fd.get(), contents, temp);
  if (s.ok() && ::fsync(fd.get()) != 0) s = FromErrno(errno, "fsync " + temp);
  if (fd.Close() != 0 && s.ok()) s = FromErrno(errno, "close " + temp);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  return temp;
}

namespace {

// CreateFileExclusive through an unnamed file (O_TMPFILE), linked in by its /proc/self/fd name:
// a writer killed at any moment leaves nothing in the folder. Nullopt where the file system or
// the machine has no such file (NFS, older overlayfs, no /proc): the caller falls back.
std::optional<StatusOr<bool>> CreateThroughUnnamedFile(const std::string& path,
                                                       std::string_view contents) {
  static const bool has_proc_fd = ::access("/proc/self/fd", F_OK) == 0;
  if (!has_proc_fd) return std::nullopt;
  const std::string dir = ParentDir(path);
  ScopedFd fd(::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) return std::nullopt;
    return StatusOr<bool>(FromErrno(errno, "create a file in " + dir));
  }
  const std::string what = "an unnamed file for " + path;
  if (Status s = WriteAll(fd.get(), contents, what); !s.ok()) return StatusOr<bool>(s);
  if (::fsync(fd.get()) != 0) return StatusOr<bool>(FromErrno(errno, "fsync " + what));
  const std::string self = "/proc/self/fd/" + std::to_string(fd.get());
  if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW) != 0) {
    const int link_errno = errno;
    if (link_errno == EEXIST) return StatusOr<bool>(false);
    return StatusOr<bool>(FromErrno(link_errno, "link " + path));
  }
  // Linked, its data synced: the file is there whatever close() says now.
  if (Status s = FsyncPath(dir, true); !s.ok()) return StatusOr<bool>(s);
  return StatusOr<bool>(true);
}

}  // namespace

StatusOr<bool> CreateFileExclusive(const std::string& path, std::string_view contents) {
  SWEEP_RETURN_IF_ERROR(CreateDirectories(ParentDir(path)));
  if (std::optional<StatusOr<bool>> created = CreateThroughUnnamedFile(path, contents)) {
    return *std::move(created);
  }
  return CreateFileExclusiveThroughTemp(path, contents);
}

StatusOr<bool> CreateFileExclusiveThroughTemp(const std::string& path, std::string_view contents) {
  SWEEP_ASSIGN_OR_RETURN(std::string temp, WriteSyncedTemp(path, contents));
  const bool created = ::link(temp.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (!created && link_errno != EEXIST)
    return FromErrno(link_errno, "link " + temp + " -> " + path);
  if (created) {
    SWEEP_RETURN_IF_ERROR(FsyncPath(ParentDir(path), true));
  }
  return created;
}

Status WriteFileAtomic(const std::string& path, std::string_view contents) {
  SWEEP_ASSIGN_OR_RETURN(std::string temp, WriteSyncedTemp(path, contents));
  return RenameSynced(temp, path);  // synced above: a second fsync costs a journal commit
}

Status ReadFile(const std::string& path, std::string* contents) {
  ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return FromErrno(errno, "open " + path);
  contents->clear();
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return FromErrno(errno, "read " + path);
    }
    if (n == 0) break;
    contents->append(buf, static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status CheckWritableDir(const std::string& dir) {
  SWEEP_RETURN_IF_ERROR(CreateDirectories(dir));
  std::string probe = TempPathFor(dir + "/.write-check");
  ScopedFd fd(::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) return FromErrno(errno, "cannot write in " + dir);
  fd.Close();
  ::unlink(probe.c_str());
  return Status::Ok();
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

StatusOr<FileLock> FileLock::Lock(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return FromErrno(errno, "lock " + path);
  FileLock lock(fd);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) return FromErrno(errno, "lock " + path);
  }
  return lock;
}

StatusOr<FileLock> FileLock::TryLock(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return FromErrno(errno, path);
  FileLock lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err != EWOULDBLOCK) return FromErrno(err, path);
    std::string holder;
    (void)ReadFile(path, &holder);
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return Status::Unavailable("held by " +
                               (holder.empty() ? std::string("another process") : holder));
  }
  const std::string note = "pid " + std::to_string(::getpid()) + " since " +
                           FormatUtc(::time(nullptr), "%Y-%m-%dT%H:%M:%SZ") + "\n";
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, note.data(), note.size(), 0);
  return lock;
}

ScopedFd::~ScopedFd() {
  if (fd_ >= 0) ::close(fd_);
}

int ScopedFd::Close() {
  const int rc = fd_ >= 0 ? ::close(fd_) : 0;
  fd_ = -1;
  return rc;
}

Status CheckRegularFile(const std::string& path, unsigned mode, std::string_view what_for) {
  if (S_ISREG(mode)) return Status::Ok();
  if (S_ISDIR(mode)) {
    return Status::InvalidArgument(path + ": is a folder, not a " + std::string(what_for));
  }
  return Status::InvalidArgument(path + ": is not a regular file (a device, FIFO or socket)");
}

}  // namespace sweep
