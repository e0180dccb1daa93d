#include "data/probe.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/file.h"
#include "base/strings.h"
#include "data/dataset_reader.h"
#include "data/idx_reader.h"

namespace sweep::data {
namespace {

// The first `n` bytes of `path` (fewer when the file is shorter).
StatusOr<std::string> Head(const std::string& path, size_t n) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a FIFO: no wait
  if (fd < 0) return FromErrno(errno, path);
  std::string out(n, '\0');
  const ssize_t got = ::read(fd, out.data(), n);
  const int err = errno;
  ::close(fd);
  if (got < 0) return FromErrno(err, path);
  out.resize(static_cast<size_t>(got));
  return out;
}

bool IsFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The whole lines of the first kCsvProbeBytes of `path`, checked as the reader reads them.
Status ProbeCsvHead(const std::string& path, const ReadOptions& options) {
  SWEEP_ASSIGN_OR_RETURN(std::string head, Head(path, kCsvProbeBytes));
  if (head.size() == kCsvProbeBytes) head.resize(head.rfind('\n') + 1);  // npos + 1 = 0
  return CheckCsvHead(head, path, options);
}

}  // namespace

Status ProbeDataset(const std::string& path, const ReadOptions& options) {
  SWEEP_RETURN_IF_ERROR(CheckReadOptions(path, options));
  if (path.rfind("synthetic:", 0) == 0) return Status::Ok();
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return FromErrno(errno, path);
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(path + (S_ISDIR(st.st_mode) ? ": is a folder, not a data file"
                                                               : ": is not a regular file"));
  }
  SWEEP_ASSIGN_OR_RETURN(std::string head, Head(path, 8));
  const bool gz = EndsWith(path, ".gz");
  if (gz && head.rfind("\x1f\x8b", 0) != 0) return Status::InvalidArgument(path + ": not gzip");
  const FileFormat format = FormatOf(path);
  if (format == FileFormat::kIdx) {
    if (!gz && head.rfind(std::string("\0\0\x08\x03", 4), 0) != 0) {
      return Status::InvalidArgument(path + ": not an IDX images file (magic 0x00000803)");
    }
    bool labels = false;
    for (const std::string& c : IdxLabelCandidates(path)) labels = labels || IsFile(c);
    if (!labels) {
      return Status::NotFound(path + ": no labels file beside it (tried " +
                              IdxLabelCandidates(path).front() + ")");
    }
  } else if (format == FileFormat::kHdf5) {
    if (head.rfind("\x89HDF\r\n\x1a\n", 0) != 0)
      return Status::InvalidArgument(path + ": not HDF5");
  } else if (head.empty()) {
    return Status::InvalidArgument(path + ": is empty");
  } else if (format == FileFormat::kCsv && !gz) {
    return ProbeCsvHead(path, options);
  }
  return Status::Ok();
}

}  // namespace sweep::data
