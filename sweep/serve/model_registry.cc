#include "sweep/serve/model_registry.h"

#include <sys/stat.h>

namespace sweep::serve {
namespace {

// What identifies a published model: its path, the row's record and, for a local file, its
// modification time and size (a plain model.h5 replaced in place).
std::string KeyOf(const predict::ModelChoice& c) {
  std::string key = c.model + "|" + std::to_string(c.version);
  if (c.result) key += "|" + c.result->finished_at + "|" + std::to_string(c.result->seconds);
  struct stat st;
  if (::stat(c.model.c_str(), &st) == 0) {
    key += "|" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) +
           "|" + std::to_string(st.st_size);
  }
  return key;
}

}  // namespace

ModelRegistry::ModelRegistry(std::unique_ptr<predict::ModelWatcher> watcher, LoadReport report)
    : watcher_(std::move(watcher)), report_(std::move(report)) {}

ModelRegistry::~ModelRegistry() { Stop(); }

std::shared_ptr<const predict::LoadedModel> ModelRegistry::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

Status ModelRegistry::Poll() {
  StatusOr<predict::ModelChoice> choice = watcher_->Choose();
  if (!choice.ok()) return choice.status();
  const std::string key = KeyOf(*choice);
  if (key == loaded_key_ || key == failed_key_) return Status::Ok();
  StatusOr<std::shared_ptr<const predict::LoadedModel>> loaded =
      predict::LoadModel(choice->model, choice->result ? &*choice->result : nullptr);
  const bool first = Current() == nullptr;
  if (!loaded.ok()) {
    failed_key_ = key;
    if (report_) report_(loaded.status(), nullptr, first);
    return loaded.status();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = *loaded;
  }
  loaded_key_ = key;
  failed_key_.clear();
  if (report_) report_(Status::Ok(), loaded->get(), first);
  return Status::Ok();
}

void ModelRegistry::Start(std::chrono::milliseconds every) {
  poller_ = std::thread([this, every] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      (void)Poll();
      lock.lock();
      wake_.wait_for(lock, every, [this] { return stop_; });
    }
  });
}

void ModelRegistry::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (poller_.joinable()) poller_.join();
}

}  // namespace sweep::serve
