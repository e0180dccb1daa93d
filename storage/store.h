// Store: the storage root as a set of named files: local folder, S3 or Cloud Storage prefix.
//
// Keys are relative paths made by storage/layout.h ("2/result.json"). Three implementations:
// LocalStore (a folder; writes are atomic: temp file, fsync, rename), S3Store
// (s3://bucket/prefix; see s3_store.h) and GcsStore (gs://bucket/prefix; gcs_store.h), the last
// two one ObjectStore (object_store.h) over each provider's client. Open one with OpenStore(root).
// Thread-safety: one Store per thread, or external locking.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sweep::storage {

class Store {
 public:
  virtual ~Store() = default;
  // The root as given ("/storage", "s3://b/results/x", "gs://b/results/x").
  virtual const std::string& root() const = 0;
  // Publishes `contents` at `key` atomically (readers never see a partial object).
  virtual Status Put(const std::string& key, std::string_view contents) = 0;
  // Create-only publish of `contents` at `key`: true when this call created it, false when the
  // key already existed (nothing written). Local: a synced temp file linked in place (link(2)
  // fails if the name exists); S3: a PUT with If-None-Match: * (412 = exists); GCS: an upload
  // with ifGenerationMatch=0 (412 = exists). A retried S3 or GCS
  // PUT whose first try landed answers false: callers compare the bytes (adaptive decisions,
  // sweep/search/) and find their own.
  virtual StatusOr<bool> Create(const std::string& key, std::string_view contents) = 0;
  // Publishes the local file `local_path` at `key` (large files: streamed / multipart).
  virtual Status PutFile(const std::string& key, const std::string& local_path) = 0;
  // NotFound when absent.
  virtual StatusOr<std::string> Get(const std::string& key) = 0;
  // Moves the file at `from` to `to` (replacing it), creating folders as needed. Local: one
  // rename. S3 has no rename: copy, then delete the source, so a crash in between leaves both
  // (never neither). NotFound when `from` is absent.
  virtual Status Move(const std::string& from, const std::string& to) = 0;
  // Removes the file at `key`; an absent key is not an error.
  virtual Status Delete(const std::string& key) = 0;
  // Every key under `prefix` ("" = all), relative to the root, in no particular order.
  virtual StatusOr<std::vector<std::string>> List(const std::string& prefix) = 0;
  // Checks the root can be written (creates it if needed) before any expensive work.
  virtual Status CheckWritable() = 0;
  // A local path for a key when the store is a local folder, "" otherwise.
  virtual std::string LocalPath(const std::string& key) const = 0;
};

// Local folder, s3:// or gs:// URI. Errors: InvalidArgument for a malformed URI.
StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& root);

std::unique_ptr<Store> OpenLocalStore(const std::string& root);

// An input named by a local path or an s3:// or gs:// URI, as a local file path: objects are
// downloaded into a local cache keyed by bucket/key/version (input_cache.h; never torn).
// Local paths are returned unchanged. Errors: NotFound, Unavailable, InvalidArgument.
StatusOr<std::string> FetchInput(const std::string& path_or_uri);

// Whether an input can be read, without reading it: a HEAD request for s3:// (object metadata
// for gs://), data::ProbeDataset
// (exists, regular file, the format's magic bytes, a plain CSV's first lines after `skip_rows`)
// for a local path or synthetic:NAME. Either way skip_rows > 0 must name a CSV
// (data::CheckReadOptions).
Status ProbeInput(const std::string& path_or_uri, int skip_rows = 0);

}  // namespace sweep::storage
