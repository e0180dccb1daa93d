#include "sweep/engine_logs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <ctime>

namespace sweep {
namespace {

constexpr size_t kTailBytes = 4 << 10;  // the worker's error is its last line
constexpr size_t kMaxFiles = 100000;

// The last kTailBytes of the file at `path`, and its modification time; false if unreadable.
bool ReadTail(const std::string& path, std::string* text, struct timespec* mtime) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (ok) {
    const off_t from = st.st_size > static_cast<off_t>(kTailBytes) ? st.st_size - kTailBytes : 0;
    text->resize(static_cast<size_t>(st.st_size - from));
    const ssize_t n = ::pread(fd, text->data(), text->size(), from);
    ok = n >= 0;
    if (ok) text->resize(static_cast<size_t>(n));
    *mtime = st.st_mtim;
  }
  ::close(fd);
  return ok;
}

bool Newer(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec > b.tv_nsec;
}

}  // namespace

bool ParseRowErrorLine(std::string_view line, int* row, std::string* message) {
  constexpr std::string_view kPrefix = "error: ";
  if (line.substr(0, kPrefix.size()) != kPrefix) return false;
  line.remove_prefix(kPrefix.size());
  // "row N: " at the start or after a ": " (the worker puts the spec's path first for a bad
  // row: "error: /x/spec.yml: row 1: learning_rate must be > 0, got -1").
  for (size_t at = line.find("row "); at != std::string_view::npos;
       at = line.find("row ", at + 1)) {
    if (at != 0 && (at < 2 || line.substr(at - 2, 2) != ": ")) continue;
    const char* digits = line.data() + at + 4;
    int n = -1;
    auto [end, ec] = std::from_chars(digits, line.data() + line.size(), n);
    if (ec != std::errc() || n < 0 || end == digits) continue;
    std::string_view rest(end, line.data() + line.size() - end);
    if (rest.substr(0, 2) != ": ") continue;
    rest.remove_prefix(2);
    while (!rest.empty() && (rest.back() == '\r' || rest.back() == ' ')) rest.remove_suffix(1);
    *row = n;
    *message = std::string(rest);
    return true;
  }
  return false;
}

std::map<int, LoggedError> LastLoggedErrors(const std::string& dir, const std::vector<int>& rows) {
  std::map<int, LoggedError> found;
  if (rows.empty()) return found;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return found;
  std::map<int, struct timespec> when;
  std::string text;
  size_t files = 0;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    if (name.size() < 5 || name.substr(name.size() - 4) != ".out") continue;
    if (++files > kMaxFiles) break;
    const std::string path = dir + "/" + std::string(name);
    struct timespec mtime {};
    if (!ReadTail(path, &text, &mtime)) continue;
    // The file's last "error: row N" line; a log names one row, the task's.
    int row = -1;
    std::string message;
    for (size_t end = text.size(); end > 0 && row < 0;) {
      const size_t begin = text.rfind('\n', end - 1);
      const size_t start = begin == std::string::npos ? 0 : begin + 1;
      ParseRowErrorLine(std::string_view(text).substr(start, end - start), &row, &message);
      if (begin == std::string::npos) break;
      end = begin;
    }
    if (row < 0 || !std::binary_search(rows.begin(), rows.end(), row)) continue;
    if (auto it = when.find(row); it != when.end() && !Newer(mtime, it->second)) continue;
    when[row] = mtime;
    found[row] = {std::move(message), path};
  }
  ::closedir(d);
  return found;
}

}  // namespace sweep
