#include "data/gz_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#ifdef SWEEP_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

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

#ifdef SWEEP_HAVE_LIBDEFLATE
// Deflate expands at most ~1032:1: a trailer claiming more than this is not believed (a tiny
// hostile file must not make us allocate gigabytes before its data is checked).
constexpr uint64_t kMaxRatio = 1032;

// The common case in one call with libdeflate (2-3x zlib's speed on MNIST-sized files): a
// single gzip member whose trailer size (ISIZE, the size mod 2^32) fits the limit. True when
// it decompressed the whole input to exactly that size with a good CRC; false otherwise, and
// the caller goes the zlib way, which gives every error its message (and handles several
// members and sizes past 4 GiB).
bool GunzipWhole(std::string_view in, uint64_t limit, std::string* out) {
  if (in.size() < 18) return false;
  const auto* tail = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
  const uint64_t isize = uint64_t{tail[0]} | uint64_t{tail[1]} << 8 | uint64_t{tail[2]} << 16 |
                         uint64_t{tail[3]} << 24;
  if (isize > limit || isize > in.size() * kMaxRatio) return false;
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  if (d == nullptr) return false;
  out->resize(static_cast<size_t>(isize));
  size_t in_used = 0, out_used = 0;
  const libdeflate_result rc = libdeflate_gzip_decompress_ex(d, in.data(), in.size(), out->data(),
                                                             out->size(), &in_used, &out_used);
  libdeflate_free_decompressor(d);
  return rc == LIBDEFLATE_SUCCESS && in_used == in.size() && out_used == isize;
}
#endif

}  // namespace

Status Gunzip(std::string_view in, const std::string& name, uint64_t limit, std::string* out) {
#ifdef SWEEP_HAVE_LIBDEFLATE
  if (GunzipWhole(in, limit, out)) return Status::Ok();
#endif
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
