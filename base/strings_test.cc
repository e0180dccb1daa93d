#include "base/strings.h"

#include <gtest/gtest.h>

namespace sweep {
namespace {

TEST(Strings, EditDistance) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  EXPECT_EQ(EditDistance("", "abc"), 3);
}

TEST(Strings, DidYouMeanSuggestsNearbyOnly) {
  std::vector<std::string> keys = {"learning_rate", "batch_size", "epochs"};
  EXPECT_EQ(DidYouMean("lerning_rate", keys), " (did you mean 'learning_rate'?)");
  EXPECT_EQ(DidYouMean("zzzzzzzz", keys), "");
}

}  // namespace
}  // namespace sweep
