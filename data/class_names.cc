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

namespace {

// "an 8", "a 7", "an 11", "an 18000": the article as the number is spoken.
std::string WithArticle(int n) {
  const std::string s = std::to_string(n);
  const bool an =
      s[0] == '8' || ((s.rfind("11", 0) == 0 || s.rfind("18", 0) == 0) && (s.size() - 2) % 3 == 0);
  return (an ? "an " : "a ") + s;
}

}  // namespace

std::string UnseenClassesWarning(const Dataset& d) {
  if (d.num_classes <= 0 || !d.class_names.empty()) return "";
  std::vector<bool> seen(static_cast<size_t>(d.num_classes), false);
  for (float label : d.y) {
    const auto k = static_cast<int64_t>(label);  // the reader checked: integers in range
    if (k >= 0 && k < d.num_classes) seen[static_cast<size_t>(k)] = true;
  }
  std::vector<int> unseen;
  int lowest_seen = -1;
  for (int k = 0; k < d.num_classes; ++k) {
    if (!seen[k]) {
      unseen.push_back(k);
    } else if (lowest_seen < 0) {
      lowest_seen = k;
    }
  }
  if (unseen.empty() || lowest_seen < 0) return "";
  constexpr size_t kNamed = 10;
  std::string list;
  for (size_t i = 0; i < unseen.size() && i < kNamed; ++i) {
    if (i > 0) list += ", ";
    list += std::to_string(unseen[i]);
  }
  if (unseen.size() > kNamed) list += " and " + std::to_string(unseen.size() - kNamed) + " more";
  // Only leading indices unseen (labels 1..7): start from 0. Gaps too: number the classes
  // 0..K-1 with none left out.
  const bool leading_only = static_cast<int>(unseen.size()) == lowest_seen;
  return d.source + ": classes " + list + " never occur in the training data (labels " +
         std::to_string(lowest_seen) + ".." + std::to_string(d.num_classes - 1) + " give " +
         WithArticle(d.num_classes) + "-class output); " +
         (leading_only ? "relabel from 0 to drop them"
                       : "relabel from 0 without gaps to drop them");
}

}  // namespace sweep::data
