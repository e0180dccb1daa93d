#include "storage/gz_file.h"

#include <zlib.h>

#include <cerrno>

#include "storage/atomic_file.h"

namespace sweep::storage {
namespace {

class GzFile {
 public:
  explicit GzFile(gzFile f) : f_(f) {}
  ~GzFile() { if (f_) gzclose(f_); }
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;
  gzFile get() const { return f_; }

 private:
  gzFile f_;
};

}  // namespace

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Status ReadMaybeGzipped(const std::string& path, std::string* contents) {
  errno = 0;
  GzFile file(gzopen(path.c_str(), "rb"));
  if (!file.get()) return FromErrno(errno ? errno : ENOMEM, "open " + path);
  gzbuffer(file.get(), 1 << 20);
  contents->clear();
  constexpr size_t kChunk = 8 << 20;
  for (;;) {
    size_t old = contents->size();
    contents->resize(old + kChunk);
    int n = gzread(file.get(), contents->data() + old, kChunk);
    if (n < 0) {
      int zerr = 0;
      const char* msg = gzerror(file.get(), &zerr);
      if (zerr == Z_ERRNO) return FromErrno(errno, "read " + path);
      return Status::Corruption(path + ": " + (msg ? msg : "bad gzip data"));
    }
    contents->resize(old + static_cast<size_t>(n));
    if (static_cast<size_t>(n) < kChunk) break;
  }
  return Status::Ok();
}

}  // namespace sweep::storage
