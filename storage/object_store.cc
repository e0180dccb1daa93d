#include "storage/object_store.h"

#include <utility>

namespace sweep::storage {

ObjectStore::ObjectStore(std::string root, std::string bucket, std::string prefix)
    : root_(std::move(root)), bucket_(std::move(bucket)), prefix_(std::move(prefix)) {
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
}

std::string ObjectStore::ObjectKey(const std::string& key) const {
  return prefix_.empty() ? key : prefix_ + "/" + key;
}

Status ObjectStore::Put(const std::string& key, std::string_view contents) {
  return PutObject(ObjectKey(key), contents);
}

StatusOr<bool> ObjectStore::Create(const std::string& key, std::string_view contents) {
  return CreateObject(ObjectKey(key), contents);
}

Status ObjectStore::PutFile(const std::string& key, const std::string& local_path) {
  return PutObjectFile(ObjectKey(key), local_path);
}

StatusOr<std::string> ObjectStore::Get(const std::string& key) { return GetObject(ObjectKey(key)); }

// Results are small (model.h5 is a few MB): a Get and a Put are simpler than S3's CopyObject
// (a 5 GB limit, 200-with-an-error answers) or Cloud Storage's objects.rewrite (large objects
// need follow-up calls). A crash in between leaves both copies, never neither.
Status ObjectStore::Move(const std::string& from, const std::string& to) {
  SWEEP_ASSIGN_OR_RETURN(std::string contents, GetObject(ObjectKey(from)));
  SWEEP_RETURN_IF_ERROR(PutObject(ObjectKey(to), contents));
  return DeleteObject(ObjectKey(from));
}

Status ObjectStore::Delete(const std::string& key) { return DeleteObject(ObjectKey(key)); }

StatusOr<std::vector<std::string>> ObjectStore::List(const std::string& prefix) {
  const std::string base = prefix_.empty() ? "" : prefix_ + "/";
  SWEEP_ASSIGN_OR_RETURN(std::vector<std::string> keys, ListObjects(base + prefix));
  for (std::string& key : keys) key.erase(0, base.size());
  return keys;
}

// An object store has no folders to create; a listing proves the bucket exists and the
// credentials work. Writability itself shows only at the first write (a probe object would
// pollute the root).
Status ObjectStore::CheckWritable() {
  return ListObjects(ObjectKey(".sweep-writable-check")).status();
}

}  // namespace sweep::storage
