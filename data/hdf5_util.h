// Internal to storage/: RAII handles and small helpers over the HDF5 C API.
//
// HDF5 types stay out of this header: an `h5::Id` is an `hid_t` (checked in hdf5_util.cc), so
// callers that pass Ids to HDF5 functions include <hdf5.h> themselves, in their .cc file.
// Every public entry point that touches HDF5 calls `h5::Init()` first: it silences HDF5's
// automatic error printing on the calling thread (the error stack is per thread in the
// thread-safe build Debian ships) so errors only reach users as Status via FromHdf5.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sweep::data::h5 {

using Id = int64_t;  // hid_t

// Owns one HDF5 identifier of any kind and closes it with H5Idec_ref-like semantics.
class Handle {
 public:
  Handle() = default;
  explicit Handle(Id id) : id_(id) {}
  ~Handle() { Reset(); }
  Handle(Handle&& o) noexcept : id_(o.id_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  Id get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void Reset();
  // Closes now and reports a failure (a file's close flushes: disk full shows up here).
  Status Close(std::string_view what);

 private:
  Id id_ = -1;
};

// Silences HDF5's automatic error printing on this thread (idempotent, cheap).
void Init();

// Status from the calling thread's HDF5 error stack, then clears it: "what: msg; msg".
// A missing file maps to NotFound, permission problems to InvalidArgument, I/O errors
// (disk full, lock, EIO) to Unavailable, anything else to `fallback`.
Status FromHdf5(std::string_view what, StatusCode fallback);

// Files. Create truncates; both disable file locking (it fails on NFS/EFS).
StatusOr<Handle> CreateFile(const std::string& path);
StatusOr<Handle> OpenFileReadOnly(const std::string& path);
// A file built in memory only (the core driver, no backing store): HDF5 never writes to disk,
// so a full disk cannot fail inside HDF5 (in 1.10 a failed close leaves a half-freed object
// that crashes the library at exit). `name` is for messages. FileImage returns its bytes, for
// the caller to write with base/file.h's atomic writes.
StatusOr<Handle> CreateInMemoryFile(const std::string& name);
StatusOr<std::string> FileImage(Id file, const std::string& name);

// Attributes on any object `loc`.
bool HasAttribute(Id loc, const std::string& name);
// Names of every attribute of `loc`, in creation/name order.
StatusOr<std::vector<std::string>> AttributeNames(Id loc);
// True when `loc` has a link `name` (group or dataset).
bool HasLink(Id loc, const std::string& name);
Status WriteStringAttribute(Id loc, const std::string& name, const std::string& value);
Status WriteStringListAttribute(Id loc, const std::string& name,
                                const std::vector<std::string>& values);
Status WriteIntAttribute(Id loc, const std::string& name, int64_t value);
// A 1-D float64 attribute with zero elements (Keras' encoding of an empty name list).
Status WriteEmptyListAttribute(Id loc, const std::string& name);
// Scalar or 1-element string attribute; vlen or fixed-length (trailing NULs stripped).
StatusOr<std::string> ReadStringAttribute(Id loc, const std::string& name);
// 1-D string list, vlen or fixed-length; a zero-size non-string attribute is an empty list.
StatusOr<std::vector<std::string>> ReadStringListAttribute(Id loc, const std::string& name);
StatusOr<int64_t> ReadIntAttribute(Id loc, const std::string& name);

// Datasets. `path` may contain '/' (intermediate groups are created when writing).
Status WriteFloatDataset(Id loc, const std::string& path, const std::vector<uint64_t>& dims,
                         const float* data);
struct FloatArray {
  std::vector<uint64_t> dims;
  std::vector<float> values;  // row-major, converted from any integer or float type
};
StatusOr<FloatArray> ReadFloatDataset(Id loc, const std::string& path);

}  // namespace sweep::data::h5
