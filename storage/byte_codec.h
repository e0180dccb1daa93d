// Little-endian binary records for the files and pipes this project defines itself (checkpoints,
// the model a reader process hands back): fixed-size values, length-prefixed arrays and strings,
// and a CRC-32 trailer. The reader never trusts a length: one short read and every later Get
// fails (ok() false), so a decoder checks once at the end.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sweep::storage {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the byte codec writes host order");

class ByteWriter {
 public:
  template <typename T>
  void Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  template <typename T>
  void PutArray(const std::vector<T>& values) {
    Put<uint64_t>(values.size());
    out_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  void PutRaw(std::string_view s) { out_.append(s); }
  void PutBytes(std::string_view s) {
    Put<uint32_t>(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  std::string Finish() {
    Put<uint32_t>(Crc(out_));
    return std::move(out_);
  }
  static uint32_t Crc(std::string_view s) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes uInt lengths: feed it in pieces below 4 GiB.
    for (size_t i = 0; i < s.size(); i += 1u << 30) {
      const size_t n = std::min<size_t>(1u << 30, s.size() - i);
      crc = crc32(crc, reinterpret_cast<const Bytef*>(s.data() + i), static_cast<uInt>(n));
    }
    return static_cast<uint32_t>(crc);
  }

 private:
  std::string out_;
};

// Reads what ByteWriter wrote; after the first short read every Get fails and ok() is false.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  size_t left() const { return in_.size() - pos_; }

  template <typename T>
  T Get() {
    T value{};
    if (!Take(&value, sizeof(T))) return T{};
    return value;
  }
  template <typename T>
  std::vector<T> GetArray() {
    const uint64_t n = Get<uint64_t>();
    if (!ok_ || n > left() / sizeof(T)) {
      ok_ = false;
      return {};
    }
    std::vector<T> values(n);
    Take(values.data(), n * sizeof(T));
    return values;
  }
  std::string GetBytes() {
    const uint32_t n = Get<uint32_t>();
    if (!ok_ || n > left()) {
      ok_ = false;
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  bool Take(void* out, size_t n) {
    if (!ok_ || n > left()) {
      ok_ = false;
      return false;
    }
    if (n > 0) std::memcpy(out, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace sweep::storage
