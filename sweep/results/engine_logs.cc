#include "sweep/results/engine_logs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "storage/layout.h"

namespace sweep {
namespace {

constexpr off_t kEdgeBytes = 4 << 10;  // the start line is near the top, the error is last
constexpr size_t kMaxFiles = 100000;

struct Edges {
  std::string head, tail;  // the first and last kEdgeBytes (the same text for small files)
  struct timespec mtime {};
};

bool ReadAt(int fd, off_t from, off_t size, std::string* out) {
  out->resize(static_cast<size_t>(size));
  const ssize_t n = ::pread(fd, out->data(), out->size(), from);
  if (n < 0) return false;
  out->resize(static_cast<size_t>(n));
  return true;
}

bool ReadEdges(const std::string& path, Edges* e) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (ok) {
    e->mtime = st.st_mtim;
    ok = ReadAt(fd, 0, std::min(st.st_size, kEdgeBytes), &e->head);
    if (ok && st.st_size > kEdgeBytes) {
      ok = ReadAt(fd, st.st_size - kEdgeBytes, kEdgeBytes, &e->tail);
    } else {
      e->tail = e->head;
    }
  }
  ::close(fd);
  return ok;
}

// Calls `f` on each line of `text`, last line first, until it returns true.
template <typename F>
void ForEachLineBackwards(std::string_view text, F f) {
  for (size_t end = text.size(); end > 0;) {
    const size_t nl = text.rfind('\n', end - 1);
    const size_t start = nl == std::string_view::npos ? 0 : nl + 1;
    if (f(text.substr(start, end - start))) return;
    if (nl == std::string_view::npos) return;
    end = nl;
  }
}

bool Newer(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec > b.tv_nsec;
}

// "N" at the start of `text`, then `after`: N, and `text` moved past both; -1 otherwise.
int IndexThen(std::string_view* text, std::string_view after) {
  int n = -1;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || n < 0 || end == text->data()) return -1;
  std::string_view rest(end, text->data() + text->size() - end);
  if (rest.substr(0, after.size()) != after) return -1;
  rest.remove_prefix(after.size());
  *text = rest;
  return n;
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
    std::string_view rest = line.substr(at + 4);
    const int n = IndexThen(&rest, ": ");
    if (n < 0) continue;
    while (!rest.empty() && (rest.back() == '\r' || rest.back() == ' ')) rest.remove_suffix(1);
    *row = n;
    *message = std::string(rest);
    return true;
  }
  return false;
}

bool ParseRowStartLine(std::string_view line, int* row) {
  constexpr std::string_view kPrefix = "row ";
  if (line.substr(0, kPrefix.size()) != kPrefix) return false;
  line.remove_prefix(kPrefix.size());
  const int n = IndexThen(&line, " (attempt ");
  if (n < 0) return false;
  *row = n;
  return true;
}

std::map<int, TaskLog> ReadTaskLogs(const std::string& dir, const std::vector<int>& rows) {
  std::map<int, TaskLog> found;
  if (rows.empty()) return found;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return found;
  std::map<int, struct timespec> when;
  Edges edges;
  size_t files = 0;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    if (name.size() < 5 || name.substr(name.size() - 4) != ".out") continue;
    if (++files > kMaxFiles) break;
    TaskLog log{storage::JoinPath(dir, std::string(name)), ""};
    if (!ReadEdges(log.path, &edges)) continue;
    int row = -1;
    ForEachLineBackwards(edges.tail, [&](std::string_view line) {
      return ParseRowErrorLine(line, &row, &log.error);
    });
    if (row < 0) {
      ForEachLineBackwards(edges.head,
                           [&](std::string_view line) { return ParseRowStartLine(line, &row); });
    }
    if (row < 0 || !std::binary_search(rows.begin(), rows.end(), row)) continue;
    if (auto it = when.find(row); it != when.end() && !Newer(edges.mtime, it->second)) continue;
    when[row] = edges.mtime;
    found[row] = std::move(log);
  }
  ::closedir(d);
  return found;
}

}  // namespace sweep
