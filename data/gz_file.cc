#include "data/gz_file.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "base/file.h"

namespace sweep::data {
namespace {

class GzFile {
 public:
  explicit GzFile(gzFile f) : f_(f) {}
  ~GzFile() {
    if (f_) gzclose(f_);
  }
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;
  gzFile get() const { return f_; }

 private:
  gzFile f_;
};

// The gzip trailer holds the uncompressed size mod 2^32 (RFC 1952): a good first buffer size.
size_t SizeHint(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return 0;
  unsigned char head[2] = {0, 0}, tail[4] = {0, 0, 0, 0};
  size_t hint = 0;
  if (std::fread(head, 1, 2, f) == 2 && head[0] == 0x1f && head[1] == 0x8b &&
      std::fseek(f, -4, SEEK_END) == 0 && std::fread(tail, 1, 4, f) == 4) {
    hint = tail[0] | (size_t{tail[1]} << 8) | (size_t{tail[2]} << 16) | (size_t{tail[3]} << 24);
  } else if (std::fseek(f, 0, SEEK_END) == 0) {
    long size = std::ftell(f);
    hint = size > 0 ? static_cast<size_t>(size) : 0;
  }
  std::fclose(f);
  return hint;
}

}  // namespace

Status ReadMaybeGzipped(const std::string& path, std::string* contents) {
  errno = 0;
  GzFile file(gzopen(path.c_str(), "rb"));
  if (!file.get()) return FromErrno(errno ? errno : ENOMEM, "open " + path);
  gzbuffer(file.get(), 1 << 20);
  // One byte more than the hint, so a correct hint ends the loop after one short read.
  contents->resize(std::max<size_t>(SizeHint(path) + 1, 1 << 16));
  size_t used = 0;
  for (;;) {
    if (used == contents->size()) contents->resize(contents->size() * 2);
    unsigned want = static_cast<unsigned>(std::min<size_t>(contents->size() - used, 1u << 30));
    int n = gzread(file.get(), contents->data() + used, want);
    if (n < 0) {
      int zerr = 0;
      const char* msg = gzerror(file.get(), &zerr);
      if (zerr == Z_ERRNO) return FromErrno(errno, "read " + path);
      return Status::Corruption(path + ": " + (msg ? msg : "bad gzip data"));
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  contents->resize(used);
  return Status::Ok();
}

}  // namespace sweep::data
