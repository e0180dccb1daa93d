#include "data/class_names.h"

#include <algorithm>

namespace sweep::data {

std::vector<std::string> NameClasses(const std::vector<std::string_view>& labels,
                                     std::vector<float>* y) {
  std::vector<std::string_view> sorted(labels);
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  y->resize(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    auto at = std::lower_bound(sorted.begin(), sorted.end(), labels[i]);
    (*y)[i] = static_cast<float>(at - sorted.begin());
  }
  return {sorted.begin(), sorted.end()};
}

std::string JoinClassNames(const std::vector<std::string>& names) {
  constexpr size_t kShown = 10;
  std::string out;
  for (size_t i = 0; i < names.size() && i < kShown; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > kShown) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

ClassLookup::ClassLookup(const std::vector<std::string>& names) : names_(names) {
  for (size_t i = 0; i < names.size(); ++i) index_.emplace(names[i], static_cast<int>(i));
}

StatusOr<int> ClassLookup::Find(std::string_view name) const {
  auto it = index_.find(name);
  if (it != index_.end()) return it->second;
  return Status::InvalidArgument("label '" + std::string(name) +
                                 "' is not one of the model's classes (" + JoinClassNames(names_) +
                                 ")");
}

Status RemapClasses(Dataset* d, const std::vector<std::string>& names) {
  if (d->class_names == names) return Status::Ok();
  if (d->class_names.empty() || names.empty()) {
    return Status::InvalidArgument(
        d->source + (names.empty() ? ": labels are class names, expected class indices"
                                   : ": labels are class indices, expected class names (" +
                                         JoinClassNames(names) + ")"));
  }
  ClassLookup lookup(names);
  std::vector<float> to(d->class_names.size());
  for (size_t k = 0; k < to.size(); ++k) {
    auto index = lookup.Find(d->class_names[k]);
    if (!index.ok()) return index.status().WithContext(d->source);
    to[k] = static_cast<float>(*index);
  }
  for (float& v : d->y) v = to[static_cast<size_t>(v)];
  d->class_names = names;
  d->num_classes = static_cast<int>(names.size());
  return Status::Ok();
}

}  // namespace sweep::data
