#include "data/gz_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>

#include "base/file.h"
#include "data/limits.h"

namespace sweep::data {
namespace {

class Inflater {
 public:
  Inflater() = default;
  ~Inflater() {
    if (ready_) inflateEnd(&zs_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  // 16 + MAX_WBITS: gzip framing only; zlib then checks each member's CRC-32 and length.
  bool Init() { return ready_ = inflateInit2(&zs_, 16 + MAX_WBITS) == Z_OK; }
  z_stream& zs() { return zs_; }

 private:
  z_stream zs_{};
  bool ready_ = false;
};

constexpr size_t kStep = size_t{1} << 30;  // zlib counts in 32-bit unsigned ints

bool IsGzip(std::string_view bytes) {
  return bytes.size() >= 2 && bytes[0] == '\x1f' && bytes[1] == '\x8b';
}

// The whole regular file `path` into `out`, its size checked against the data limit first.
Status ReadRegularFile(const std::string& path, std::string* out) {
  ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return FromErrno(errno, "open " + path);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return FromErrno(errno, "stat " + path);
  SWEEP_RETURN_IF_ERROR(CheckRegularFile(path, st.st_mode, "data file"));
  SWEEP_RETURN_IF_ERROR(CheckDataBytes(static_cast<uint64_t>(st.st_size), path));
  out->resize(static_cast<size_t>(st.st_size));
  size_t used = 0;
  while (used < out->size()) {
    const ssize_t n = ::read(fd.get(), out->data() + used, std::min(out->size() - used, kStep));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FromErrno(errno, "read " + path);
    if (n == 0) break;  // shrank while read: what is there is what the checks below see
    used += static_cast<size_t>(n);
  }
  out->resize(used);
  return Status::Ok();
}

// Room for more output: doubles, never past limit + 1 (one byte over tells "too big").
Status Grow(std::string* out, uint64_t limit, const std::string& name) {
  const uint64_t cap = limit + 1;
  if (out->size() >= cap) {
    return Status::InvalidArgument(name + ": decompresses to more than " + std::to_string(limit) +
                                   " bytes, the data limit (a quarter of the memory this " +
                                   "process may use)");
  }
  out->resize(
      static_cast<size_t>(std::min<uint64_t>(std::max<uint64_t>(out->size() * 2, 1 << 16), cap)));
  return Status::Ok();
}

}  // namespace

Status Gunzip(std::string_view in, const std::string& name, uint64_t limit, std::string* out) {
  Inflater inflater;
  if (!inflater.Init()) return Status::Unavailable(name + ": zlib: out of memory");
  z_stream& zs = inflater.zs();
  out->clear();
  size_t used = 0, pos = 0;
  for (;;) {
    if (zs.avail_in == 0 && pos < in.size()) {
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + pos));
      zs.avail_in = static_cast<uInt>(std::min(in.size() - pos, kStep));
      pos += zs.avail_in;
    }
    if (used == out->size()) SWEEP_RETURN_IF_ERROR(Grow(out, limit, name));
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + used);
    zs.avail_out = static_cast<uInt>(std::min(out->size() - used, kStep));
    const uInt before = zs.avail_out;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    used += before - zs.avail_out;
    const size_t left = zs.avail_in + (in.size() - pos);
    if (rc == Z_STREAM_END) {
      if (left == 0) break;
      // Another member follows (what `cat a.gz b.gz` makes), or garbage that is no data.
      if (!IsGzip(in.substr(in.size() - left))) {
        return Status::Corruption(name + ": " + std::to_string(left) +
                                  " bytes after the end of the gzip stream");
      }
      inflateReset(&zs);
      continue;
    }
    if (rc == Z_OK || rc == Z_BUF_ERROR) {
      if (zs.avail_out == 0) continue;  // the output is full: grow and go on
      if (left == 0) return Status::Corruption(name + ": truncated gzip stream");
      if (rc == Z_OK) continue;  // this chunk of input is used up: the next one
    }
    return Status::Corruption(
        name + ": bad gzip data: " + (zs.msg ? zs.msg : "zlib error " + std::to_string(rc)));
  }
  out->resize(used);
  return Status::Ok();
}

Status ReadMaybeGzipped(const std::string& path, std::string* contents) {
  SWEEP_RETURN_IF_ERROR(ReadRegularFile(path, contents));
  if (!IsGzip(*contents)) return Status::Ok();
  std::string compressed = std::move(*contents);
  return Gunzip(compressed, path, DataByteLimit(), contents);
}

}  // namespace sweep::data
