// ObjectStore: the Store over one bucket and key prefix of an object store (S3, Cloud Storage),
// written once over a few per-provider primitives on whole object keys.
//
// It owns what the s3:// and gs:// stores (s3_store.h, gcs_store.h) share: a store key "2/x"
// is the object "prefix/2/x" (no prefix: "2/x"); List answers keys relative to the prefix; Move
// is Get, Put, Delete; CheckWritable lists the bucket. A subclass only forwards the primitives
// to its provider's client, whose errors pass through unchanged: ClientObjectStore below does
// that for aws::S3Client and gcp::GcsClient, whose calls have the same shape.
// Thread-safety: as Store's (one per thread); the primitives may be called from any method.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "storage/store.h"

namespace sweep::storage {

class ObjectStore : public Store {
 public:
  // `root` is the URI as given ("s3://b/results/x/"); `bucket` and `prefix` come from parsing
  // it. Trailing '/' of `prefix` are dropped; "" = the bucket's top.
  ObjectStore(std::string root, std::string bucket, std::string prefix);

  const std::string& root() const final { return root_; }
  Status Put(const std::string& key, std::string_view contents) final;
  StatusOr<bool> Create(const std::string& key, std::string_view contents) final;
  Status PutFile(const std::string& key, const std::string& local_path) final;
  StatusOr<std::string> Get(const std::string& key) final;
  Status Move(const std::string& from, const std::string& to) final;
  Status Delete(const std::string& key) final;
  StatusOr<std::vector<std::string>> List(const std::string& prefix) final;
  Status CheckWritable() final;
  std::string LocalPath(const std::string&) const final { return ""; }

 protected:
  const std::string& bucket() const { return bucket_; }

  // The provider's calls on whole object keys in bucket(), with Store's contracts: PutObject
  // is atomic (readers see the old object or the new one); CreateObject answers false when the
  // object exists; GetObject is NotFound when absent; DeleteObject of an absent object is Ok;
  // ListObjects answers the whole keys of every object whose key starts with `key_prefix`.
  virtual Status PutObject(const std::string& key, std::string_view contents) = 0;
  virtual StatusOr<bool> CreateObject(const std::string& key, std::string_view contents) = 0;
  virtual Status PutObjectFile(const std::string& key, const std::string& local_path) = 0;
  virtual StatusOr<std::string> GetObject(const std::string& key) = 0;
  virtual Status DeleteObject(const std::string& key) = 0;
  virtual StatusOr<std::vector<std::string>> ListObjects(const std::string& key_prefix) = 0;

 private:
  std::string ObjectKey(const std::string& key) const;

  std::string root_, bucket_, prefix_;
};

// The primitives as calls of `Client` (aws::S3Client, gcp::GcsClient): Put, PutIfAbsent,
// PutFile, Get, Delete and List(bucket, prefix) answering objects with a `key`.
template <typename Client>
class ClientObjectStore final : public ObjectStore {
 public:
  ClientObjectStore(std::string root, std::string bucket, std::string prefix,
                    std::unique_ptr<Client> client)
      : ObjectStore(std::move(root), std::move(bucket), std::move(prefix)),
        client_(std::move(client)) {}

 private:
  Status PutObject(const std::string& key, std::string_view contents) override {
    return client_->Put(bucket(), key, contents);
  }
  StatusOr<bool> CreateObject(const std::string& key, std::string_view contents) override {
    return client_->PutIfAbsent(bucket(), key, contents);
  }
  Status PutObjectFile(const std::string& key, const std::string& local_path) override {
    return client_->PutFile(bucket(), key, local_path);
  }
  StatusOr<std::string> GetObject(const std::string& key) override {
    return client_->Get(bucket(), key);
  }
  Status DeleteObject(const std::string& key) override { return client_->Delete(bucket(), key); }
  StatusOr<std::vector<std::string>> ListObjects(const std::string& key_prefix) override {
    SWEEP_ASSIGN_OR_RETURN(auto objects, client_->List(bucket(), key_prefix));
    std::vector<std::string> keys;
    keys.reserve(objects.size());
    for (auto& o : objects) keys.push_back(std::move(o.key));
    return keys;
  }

  std::unique_ptr<Client> client_;
};

}  // namespace sweep::storage
