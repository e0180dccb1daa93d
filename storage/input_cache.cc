#include "storage/input_cache.h"

#include <sys/stat.h>

#include <cctype>
#include <cstdio>

#include "base/file.h"
#include "base/strings.h"
#include "cloud/aws/sigv4.h"

namespace sweep::storage {
namespace {

std::string CacheBaseName(const std::string& key) {
  std::string base = key.substr(key.rfind('/') == std::string::npos ? 0 : key.rfind('/') + 1);
  if (base.empty() || base == "." || base == "..") base = "object";
  return base;
}

std::string SafeVersion(const std::string& version) {
  std::string out;
  for (char c : version) {
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
  }
  return out.empty() ? "noversion" : out.substr(0, 80);
}

bool IsFileOfSize(const std::string& path, int64_t size) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == size;
}

// Holds an exclusive flock for its lifetime; the lock file itself stays (harmless, tiny).
Status Download(const RemoteObject& o, const DownloadFn& download, const std::string& final) {
  const std::string temp = TempPathFor(final);
  Status s = download(temp);
  if (s.ok() && !IsFileOfSize(temp, o.size)) {
    s = Status::Unavailable(o.scheme + "://" + o.bucket + "/" + o.key +
                            ": object changed during download (size is no longer " +
                            std::to_string(o.size) + ")");
  }
  if (s.ok()) s = CommitFile(temp, final);
  if (!s.ok()) std::remove(temp.c_str());
  return s;
}

}  // namespace

Status CheckNamesObject(const std::string& uri, const std::string& key) {
  if (key.empty() || key.back() == '/') {
    return Status::InvalidArgument(uri + ": names a prefix, not an object");
  }
  return Status::Ok();
}

std::string InputCacheDir() {
  if (std::string d = GetEnv("SWEEP_CACHE_DIR"); !d.empty()) return d;
  if (std::string d = GetEnv("XDG_CACHE_HOME"); !d.empty()) return d + "/sweep";
  if (std::string h = GetEnv("HOME"); !h.empty()) return h + "/.cache/sweep";
  return "";
}

StatusOr<std::string> FetchIntoCache(const RemoteObject& o, const DownloadFn& download) {
  const std::string cache = InputCacheDir();
  if (cache.empty()) {
    return Status::InvalidArgument(o.scheme + "://" + o.bucket + "/" + o.key +
                                   ": no cache folder (set SWEEP_CACHE_DIR or HOME)");
  }
  const std::string dir = cache + "/" + o.scheme + "/" + o.bucket + "/" +
                          aws::Sha256Hex(o.key).substr(0, 32) + "-" + SafeVersion(o.version);
  const std::string final = dir + "/" + CacheBaseName(o.key);
  if (IsFileOfSize(final, o.size)) return final;
  SWEEP_RETURN_IF_ERROR(CreateDirectories(dir).WithContext("input cache"));
  SWEEP_ASSIGN_OR_RETURN(FileLock lock, FileLock::Lock(final + ".lock"));
  if (IsFileOfSize(final, o.size)) return final;  // another worker fetched it meanwhile
  SWEEP_RETURN_IF_ERROR(Download(o, download, final));
  return final;
}

}  // namespace sweep::storage
