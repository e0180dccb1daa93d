#include "sweep/results/result_text.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

namespace sweep {
namespace {

// Skips the JSON array or object starting at text[i]; returns the index past it, or npos.
size_t SkipContainer(const std::string& text, size_t i) {
  int depth = 0;
  bool in_string = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && --depth == 0) {
      return i + 1;
    }
  }
  return std::string::npos;
}

}  // namespace

bool ReadSmallFile(const std::string& path, std::string* out, int* error, size_t max_bytes) {
  *error = 0;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT && errno != ENOTDIR) *error = errno;
    return false;
  }
  out->clear();
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = errno;
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
    if (out->size() >= max_bytes) break;
  }
  ::close(fd);
  return true;
}

void DropHistory(std::string* text) {
  static constexpr std::string_view kKey = "\"history\"";
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text->size(); ++i) {
    char c = (*text)[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == '"') {
      if (depth == 1 && text->compare(i, kKey.size(), kKey) == 0) {
        size_t j = text->find_first_not_of(" \t\r\n", i + kKey.size());
        if (j != std::string::npos && (*text)[j] == ':') {
          size_t start = text->find_first_not_of(" \t\r\n", j + 1);
          if (start == std::string::npos || (*text)[start] != '[') return;
          size_t end = SkipContainer(*text, start);
          if (end != std::string::npos) text->replace(start, end - start, "[]");
          return;
        }
      }
      in_string = true;
    }
  }
}

}  // namespace sweep
