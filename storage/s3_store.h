// S3Store: storage::Store over s3://bucket/prefix, and the S3 side of FetchInput.
//
// Configuration (region, endpoint, path style) and credentials come from the environment the
// way the AWS SDKs read them (see s3_client.h, credentials.h).
//
// Input cache, for FetchS3Object: objects land in
//   {cache}/s3/{bucket}/{sha256(key)[:32]}-{etag}/{basename of key}
// where {cache} is SWEEP_CACHE_DIR, else $XDG_CACHE_HOME/sweep, else ~/.cache/sweep. A download
// goes to a temp file in that folder and is renamed into place only when complete, under an
// exclusive flock on "{final}.lock", so the workers of one host fetch each (bucket, key, ETag)
// once and never read a torn file. A new object version has a new ETag, hence a new entry.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "storage/store.h"

namespace sweep::storage {

// `root` is "s3://bucket" or "s3://bucket/prefix" (a trailing '/' is ignored).
// Errors: InvalidArgument for a malformed URI or S3 configuration.
StatusOr<std::unique_ptr<Store>> OpenS3Store(const std::string& root);

// Downloads s3://bucket/key into the input cache (or finds it there) and returns the local path.
// Errors: NotFound (no such object), InvalidArgument (403, bad URI), Unavailable (after retries).
StatusOr<std::string> FetchS3Object(const std::string& uri);

// A HEAD request for s3://bucket/key: Ok when the object exists and can be read. Errors as
// FetchS3Object's.
Status ProbeS3Object(const std::string& uri);

// The cache folder described above; "" when neither variable nor HOME is set.
std::string InputCacheDir();

}  // namespace sweep::storage
