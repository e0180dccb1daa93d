// The model a server answers with, and its reloading. The current model is an immutable
// shared_ptr swapped whole under a mutex: a request takes one pointer at its start and is
// answered by exactly that version, however many swaps happen meanwhile.
//
// Poll(): asks the watcher which model the policy picks now; when that differs from what is
// loaded (another row, or the same row republished) it loads the new file fully, checks it
// answers (LoadModel), and only then swaps it in. A model that fails to load is logged once,
// the old one keeps serving, and the same file is not retried until it changes.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/status.h"
#include "sweep/predict/loaded_model.h"
#include "sweep/predict/model_source.h"

namespace sweep::serve {

class ModelRegistry {
 public:
  // Called after each load attempt (first = the first model of this server).
  using LoadReport =
      std::function<void(const Status&, const predict::LoadedModel* loaded, bool first)>;

  ModelRegistry(std::unique_ptr<predict::ModelWatcher> watcher, LoadReport report);
  ~ModelRegistry();

  std::shared_ptr<const predict::LoadedModel> Current() const;
  const predict::Policy& policy() const { return watcher_->policy(); }

  // One check; see above. Returns the load error, if any (NotFound while no row qualifies).
  Status Poll();

  // Polls on a thread of its own every `every` (the first poll at once) until Stop().
  void Start(std::chrono::milliseconds every);
  void Stop();

 private:
  std::unique_ptr<predict::ModelWatcher> watcher_;
  LoadReport report_;
  mutable std::mutex mu_;
  std::shared_ptr<const predict::LoadedModel> current_;
  std::string loaded_key_, failed_key_;  // identities of the file loaded / last failed
  std::thread poller_;
  std::condition_variable wake_;
  bool stop_ = false;
};

}  // namespace sweep::serve
