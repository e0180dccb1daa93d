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

TEST(Strings, TrimDropsSurroundingWhitespaceOnly) {
  EXPECT_EQ(Trim("  a b\r\n"), "a b");
  EXPECT_EQ(Trim("\tx"), "x");
  EXPECT_EQ(Trim(" \n "), "");
  EXPECT_EQ(Trim(""), "");
}

}  // namespace
}  // namespace sweep
