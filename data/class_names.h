// Class names: when a data set's labels are strings ("Iris-setosa"), the classes are their
// distinct values in sorted byte order and a label's class index is its place in that list.
// New data for a trained model (a test set, inputs to predict) is mapped through the model's
// names, so index k means the same class everywhere.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/dataset.h"
#include "base/status.h"

namespace sweep::data {

// The sorted distinct `labels`; (*y)[i] is set to labels[i]'s index in them.
std::vector<std::string> NameClasses(const std::vector<std::string_view>& labels,
                                     std::vector<float>* y);

// "a, b, c" (at most 10 names, then "... (N in all)"), for messages.
std::string JoinClassNames(const std::vector<std::string>& names);

// Finds labels in a model's class names. Keeps a reference to `names`: they must outlive it.
class ClassLookup {
 public:
  explicit ClassLookup(const std::vector<std::string>& names);
  // The class index of `name`; InvalidArgument "label 'x' is not one of the model's classes
  // (a, b, c)" when unknown.
  StatusOr<int> Find(std::string_view name) const;

 private:
  const std::vector<std::string>& names_;
  std::unordered_map<std::string_view, int> index_;
};

// Re-indexes `d`'s labels (read with its own class names) by `names`, e.g. a test set by the
// training set's classes. A name `d` has and `names` lacks, or one side named and the other
// not, is InvalidArgument naming d.source. Equal lists (or both empty) change nothing.
Status RemapClasses(Dataset* d, const std::vector<std::string>& names);

// Integer class labels (num_classes > 0, no class_names) that leave indices below the largest
// unseen give the model output units no row ever trains: labels 1..7 train an 8-class output
// whose class 0 is never seen. Returns a warning naming them (at most 10, then "and N more"):
// "zoo.csv: classes 0 never occur in the training data (labels 1..7 give an 8-class output);
// relabel from 0 to drop them". "" when every index occurs, for named classes and regression.
std::string UnseenClassesWarning(const Dataset& d);

}  // namespace sweep::data
