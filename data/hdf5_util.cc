#include "data/hdf5_util.h"

#include <hdf5.h>

#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "base/file.h"
#include "data/limits.h"

namespace sweep::data::h5 {

static_assert(std::is_same_v<Id, hid_t>, "h5::Id must be hid_t");

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    Reset();
    id_ = o.id_;
    o.id_ = -1;
  }
  return *this;
}

void Handle::Reset() {
  if (id_ >= 0) H5Idec_ref(id_);
  id_ = -1;
}

Status Handle::Close(std::string_view what) {
  if (id_ < 0) return Status::Ok();
  herr_t rc = H5Idec_ref(id_);
  id_ = -1;
  return rc < 0 ? FromHdf5(what, StatusCode::kUnavailable) : Status::Ok();
}

void Init() {
  thread_local bool silenced = false;
  if (!silenced) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    silenced = true;
  }
}

namespace {

struct ErrorWalk {
  std::vector<std::string> messages;
  int sys_errno = 0;
  bool lock_failed = false;
};

herr_t CollectError(unsigned, const H5E_error2_t* e, void* data) {
  auto* walk = static_cast<ErrorWalk*>(data);
  std::string desc = e->desc ? e->desc : "";
  if (const char* p = std::strstr(desc.c_str(), "errno = ")) walk->sys_errno = std::atoi(p + 8);
  if (desc.find("to lock") != std::string::npos) walk->lock_failed = true;  // not "superblock"
  for (const auto& m : walk->messages) {
    if (m == desc) return 0;
  }
  if (!desc.empty() && walk->messages.size() < 4) walk->messages.push_back(desc);
  return 0;
}

}  // namespace

Status FromHdf5(std::string_view what, StatusCode fallback) {
  ErrorWalk walk;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, CollectError, &walk);
  H5Eclear2(H5E_DEFAULT);
  std::string msg(what);
  msg += ": ";
  for (size_t i = 0; i < walk.messages.size(); ++i) msg += (i ? "; " : "") + walk.messages[i];
  if (walk.messages.empty()) msg += "HDF5 error";
  if (walk.sys_errno != 0) return Status(FromErrno(walk.sys_errno, "").code(), std::move(msg));
  if (walk.lock_failed) return Status::Unavailable(std::move(msg));
  return Status(fallback == StatusCode::kOk ? StatusCode::kInternal : fallback, std::move(msg));
}

namespace {

Handle FileAccessList() {
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
// H5Pset_file_locking exists in 1.10.7+ and 1.12.1+ (not in 1.12.0).
#if H5_VERSION_GE(1, 12, 1) || \
    (H5_VERS_MAJOR == 1 && H5_VERS_MINOR == 10 && H5_VERSION_GE(1, 10, 7))
  // Locking fails on NFS/EFS; our files are written once by one process and then renamed.
  H5Pset_file_locking(fapl.get(), 0, 1);
#endif
  return fapl;
}

Handle VlenStringType() {
  Handle t(H5Tcopy(H5T_C_S1));
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_ASCII);
  H5Tset_strpad(t.get(), H5T_STR_NULLTERM);
  return t;
}

Status WriteAttribute(Id loc, const std::string& name, Id type, Id space, const void* buf) {
  if (H5Aexists(loc, name.c_str()) > 0) H5Adelete(loc, name.c_str());
  Handle attr(H5Acreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT));
  if (!attr.valid() || H5Awrite(attr.get(), type, buf) < 0) {
    return FromHdf5("write attribute " + name, StatusCode::kUnavailable);
  }
  return attr.Close("close attribute " + name);
}

// Reads every element of a string attribute, whatever its padding and length flavour.
StatusOr<std::vector<std::string>> ReadStrings(Id attr, Id type, Id space, size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  if (H5Tis_variable_str(type) > 0) {
    Handle mem(H5Tcopy(H5T_C_S1));
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(type));
    std::vector<char*> buf(n, nullptr);
    if (n > 0 && H5Aread(attr, mem.get(), buf.data()) < 0) {
      return FromHdf5("read strings", StatusCode::kCorruption);
    }
    for (char* s : buf) out.emplace_back(s ? s : "");
    if (n > 0) H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, buf.data());
    return out;
  }
  size_t size = H5Tget_size(type);
  Handle mem(H5Tcopy(H5T_C_S1));
  H5Tset_size(mem.get(), size);
  H5Tset_strpad(mem.get(), H5T_STR_NULLPAD);
  std::vector<char> buf(n * size + 1, '\0');
  if (n > 0 && H5Aread(attr, mem.get(), buf.data()) < 0) {
    return FromHdf5("read strings", StatusCode::kCorruption);
  }
  for (size_t i = 0; i < n; ++i) {
    const char* s = buf.data() + i * size;
    out.emplace_back(s, strnlen(s, size));
  }
  return out;
}

}  // namespace

StatusOr<Handle> CreateFile(const std::string& path) {
  Init();
  Handle fapl = FileAccessList();
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()));
  if (!file.valid()) return FromHdf5("create " + path, StatusCode::kUnavailable);
  return file;
}

StatusOr<Handle> CreateInMemoryFile(const std::string& name) {
  Init();
  Handle fapl = FileAccessList();
  if (H5Pset_fapl_core(fapl.get(), 1 << 20, /*backing_store=*/0) < 0) {
    return FromHdf5("create " + name, StatusCode::kInternal);
  }
  Handle file(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()));
  if (!file.valid()) return FromHdf5("create " + name, StatusCode::kUnavailable);
  return file;
}

StatusOr<std::string> FileImage(Id file, const std::string& name) {
  if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0) return FromHdf5("flush " + name, StatusCode::kInternal);
  const ssize_t size = H5Fget_file_image(file, nullptr, 0);
  if (size < 0) return FromHdf5("image of " + name, StatusCode::kInternal);
  std::string image(static_cast<size_t>(size), '\0');
  if (H5Fget_file_image(file, image.data(), image.size()) != size) {
    return FromHdf5("image of " + name, StatusCode::kInternal);
  }
  return image;
}

StatusOr<Handle> OpenFileReadOnly(const std::string& path) {
  Init();
  Handle fapl = FileAccessList();
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()));
  if (!file.valid()) return FromHdf5("open " + path, StatusCode::kCorruption);
  return file;
}

bool HasAttribute(Id loc, const std::string& name) { return H5Aexists(loc, name.c_str()) > 0; }

bool HasLink(Id loc, const std::string& name) {
  htri_t rc = H5Lexists(loc, name.c_str(), H5P_DEFAULT);
  if (rc < 0) H5Eclear2(H5E_DEFAULT);
  return rc > 0;
}

StatusOr<std::vector<std::string>> AttributeNames(Id loc) {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  hsize_t idx = 0;
  if (H5Aiterate2(loc, H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &names) < 0) {
    return FromHdf5("list attributes", StatusCode::kCorruption);
  }
  return names;
}

Status WriteStringAttribute(Id loc, const std::string& name, const std::string& value) {
  Handle type = VlenStringType();
  Handle space(H5Screate(H5S_SCALAR));
  const char* ptr = value.c_str();
  return WriteAttribute(loc, name, type.get(), space.get(), &ptr);
}

Status WriteStringListAttribute(Id loc, const std::string& name,
                                const std::vector<std::string>& values) {
  Handle type = VlenStringType();
  hsize_t dims[1] = {values.size()};
  Handle space(H5Screate_simple(1, dims, nullptr));
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  const char* dummy = "";
  return WriteAttribute(loc, name, type.get(), space.get(), ptrs.empty() ? &dummy : ptrs.data());
}

Status WriteIntAttribute(Id loc, const std::string& name, int64_t value) {
  Handle space(H5Screate(H5S_SCALAR));
  Handle type(H5Tcopy(H5T_STD_I64LE));
  return WriteAttribute(loc, name, type.get(), space.get(), &value);
}

Status WriteEmptyListAttribute(Id loc, const std::string& name) {
  hsize_t dims[1] = {0};
  Handle space(H5Screate_simple(1, dims, nullptr));
  Handle type(H5Tcopy(H5T_IEEE_F64LE));
  double dummy = 0;  // H5Awrite wants a non-null buffer even for zero elements
  return WriteAttribute(loc, name, type.get(), space.get(), &dummy);
}

StatusOr<std::vector<std::string>> ReadStringListAttribute(Id loc, const std::string& name) {
  Handle attr(H5Aopen(loc, name.c_str(), H5P_DEFAULT));
  if (!attr.valid()) return FromHdf5("attribute " + name, StatusCode::kNotFound);
  Handle type(H5Aget_type(attr.get()));
  Handle space(H5Aget_space(attr.get()));
  hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0) return FromHdf5("attribute " + name, StatusCode::kCorruption);
  if (H5Tget_class(type.get()) != H5T_STRING) {
    if (n == 0) return std::vector<std::string>{};
    return Status::Corruption("attribute " + name + " is not a string list");
  }
  auto strings = ReadStrings(attr.get(), type.get(), space.get(), static_cast<size_t>(n));
  if (!strings.ok()) return strings.status().WithContext("attribute " + name);
  return strings;
}

StatusOr<std::string> ReadStringAttribute(Id loc, const std::string& name) {
  SWEEP_ASSIGN_OR_RETURN(auto list, ReadStringListAttribute(loc, name));
  if (list.size() != 1) return Status::Corruption("attribute " + name + " is not one string");
  return list[0];
}

StatusOr<int64_t> ReadIntAttribute(Id loc, const std::string& name) {
  Handle attr(H5Aopen(loc, name.c_str(), H5P_DEFAULT));
  if (!attr.valid()) return FromHdf5("attribute " + name, StatusCode::kNotFound);
  Handle type(H5Aget_type(attr.get()));
  Handle space(H5Aget_space(attr.get()));
  if (H5Tget_class(type.get()) != H5T_INTEGER || H5Sget_simple_extent_npoints(space.get()) != 1) {
    return Status::Corruption("attribute " + name + " is not one integer");
  }
  int64_t value = 0;
  if (H5Aread(attr.get(), H5T_NATIVE_INT64, &value) < 0) {
    return FromHdf5("attribute " + name, StatusCode::kCorruption);
  }
  return value;
}

Status WriteFloatDataset(Id loc, const std::string& path, const std::vector<uint64_t>& dims,
                         const float* data) {
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  std::vector<hsize_t> h5dims(dims.begin(), dims.end());
  Handle space(dims.empty()
                   ? H5Screate(H5S_SCALAR)
                   : H5Screate_simple(static_cast<int>(dims.size()), h5dims.data(), nullptr));
  Handle ds(H5Dcreate2(loc, path.c_str(), H5T_IEEE_F32LE, space.get(), lcpl.get(), H5P_DEFAULT,
                       H5P_DEFAULT));
  if (!ds.valid()) return FromHdf5("create dataset " + path, StatusCode::kUnavailable);
  uint64_t count = 1;
  for (uint64_t d : dims) count *= d;
  if (count > 0 && H5Dwrite(ds.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    return FromHdf5("write dataset " + path, StatusCode::kUnavailable);
  }
  return ds.Close("close dataset " + path);
}

namespace {

// The declared extents of dataset `ds` against what the file can hold, before anything is
// allocated from them: the element count must not wrap, its bytes must fit in the file (times
// deflate's best ratio when the dataset is filtered) and its floats in DataByteLimit().
StatusOr<uint64_t> CheckExtents(Id loc, Id ds, Id type, const std::string& path,
                                const std::vector<hsize_t>& dims) {
  uint64_t count = 1, bytes = 0;
  std::string shape;
  for (hsize_t d : dims) {
    shape += (shape.empty() ? "" : " x ") + std::to_string(d);
    if (!CheckedMul(count, d, &count)) {
      return Status::Corruption("dataset " + path + ": extents " + shape + "... overflow");
    }
  }
  const size_t element = H5Tget_size(type);
  if (element == 0 || element > 16 || !CheckedMul(count, element, &bytes)) {
    return Status::Corruption("dataset " + path + ": element size " + std::to_string(element) +
                              " is not a number's");
  }
  Handle file(H5Iget_file_id(loc));
  hsize_t file_size = 0;
  if (!file.valid() || H5Fget_filesize(file.get(), &file_size) < 0) {
    return FromHdf5("dataset " + path, StatusCode::kCorruption);
  }
  Handle dcpl(H5Dget_create_plist(ds));
  const bool filtered = dcpl.valid() && H5Pget_nfilters(dcpl.get()) > 0;
  constexpr uint64_t kDeflateMaxRatio = 1032;  // zlib's documented worst case
  const uint64_t room = filtered ? file_size * kDeflateMaxRatio : file_size;
  if (bytes > room) {
    return Status::Corruption("dataset " + path + ": extents " + shape + " need " +
                              std::to_string(bytes) + " bytes; the file has " +
                              std::to_string(file_size) + (filtered ? " (compressed)" : ""));
  }
  uint64_t float_bytes = 0;
  CheckedMul(count, sizeof(float), &float_bytes);  // count <= bytes: cannot wrap
  SWEEP_RETURN_IF_ERROR(CheckDataBytes(float_bytes, "dataset " + path + " (" + shape + ")"));
  return count;
}

}  // namespace

StatusOr<FloatArray> ReadFloatDataset(Id loc, const std::string& path) {
  if (!HasLink(loc, path)) return Status::NotFound("no dataset " + path);
  Handle ds(H5Dopen2(loc, path.c_str(), H5P_DEFAULT));
  if (!ds.valid()) return FromHdf5("open dataset " + path, StatusCode::kCorruption);
  Handle type(H5Dget_type(ds.get()));
  H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) {
    return Status::Corruption("dataset " + path + " is not numeric");
  }
  Handle space(H5Dget_space(ds.get()));
  int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) return FromHdf5("dataset " + path, StatusCode::kCorruption);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  FloatArray out;
  out.dims.assign(dims.begin(), dims.end());
  SWEEP_ASSIGN_OR_RETURN(uint64_t count, CheckExtents(loc, ds.get(), type.get(), path, dims));
  out.values.resize(count);
  if (count > 0 &&
      H5Dread(ds.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()) < 0) {
    return FromHdf5("read dataset " + path, StatusCode::kCorruption);
  }
  return out;
}

}  // namespace sweep::data::h5
