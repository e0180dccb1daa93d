// The local cache of remote inputs (s3:// and gs:// objects), shared by S3Store and GcsStore.
//
// Objects land in
//   {cache}/{scheme}/{bucket}/{sha256(key)[:32]}-{version}/{basename of key}
// where {cache} is SWEEP_CACHE_DIR, else $XDG_CACHE_HOME/sweep, else ~/.cache/sweep, {scheme}
// is "s3" or "gs" and {version} names the object's bytes (S3's ETag, Cloud Storage's
// generation). A download goes to a temp file in that folder and is renamed into place only
// when complete, under an exclusive flock on "{final}.lock", so the workers of one host fetch
// each (bucket, key, version) once and never read a torn file. A new object version has a new
// {version}, hence a new entry.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/status.h"

namespace sweep::storage {

// Ok when `key`, parsed from the input URI `uri`, names an object: a bucket root or a key ending
// in '/' is a prefix. Errors: InvalidArgument "URI: names a prefix, not an object".
Status CheckNamesObject(const std::string& uri, const std::string& key);

// The cache folder described above; "" when neither variable nor HOME is set.
std::string InputCacheDir();

struct RemoteObject {
  std::string scheme;  // "s3", "gs"
  std::string bucket;
  std::string key;
  std::string version;  // ETag or generation (made filename-safe here)
  int64_t size = 0;     // the download must have exactly this many bytes
};

// Writes the object's bytes to the given temp path; a Status it returns ends the fetch.
using DownloadFn = std::function<Status(const std::string& temp_path)>;

// The cached file for `object`, downloaded with `download` unless already there.
// Errors: InvalidArgument (no cache folder), the download's, Unavailable when the file has
// another size than `object.size` (the object changed meanwhile).
StatusOr<std::string> FetchIntoCache(const RemoteObject& object, const DownloadFn& download);

}  // namespace sweep::storage
