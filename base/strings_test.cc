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

TEST(Strings, StrJoinPutsTheSeparatorBetween) {
  EXPECT_EQ(StrJoin({"a", "b", "c"}, "; "), "a; b; c");
  EXPECT_EQ(StrJoin({"a"}, "; "), "a");
  EXPECT_EQ(StrJoin({}, "; "), "");
}

TEST(Strings, TrimDropsSurroundingWhitespaceOnly) {
  EXPECT_EQ(Trim("  a b\r\n"), "a b");
  EXPECT_EQ(Trim("\tx"), "x");
  EXPECT_EQ(Trim(" \n "), "");
  EXPECT_EQ(Trim(""), "");
}

TEST(Strings, ParseIntTakesWholeDecimalsInRangeOnly) {
  EXPECT_EQ(ParseInt("42"), 42);
  EXPECT_EQ(ParseInt("-3"), -3);
  EXPECT_EQ(ParseInt("0", 0, 10), 0);
  EXPECT_EQ(ParseInt("10", 0, 10), 10);
  EXPECT_EQ(ParseInt("11", 0, 10), std::nullopt);
  EXPECT_EQ(ParseInt("-1", 0, 10), std::nullopt);
  for (const char* bad :
       {"", " 1", "1 ", "+1", "1.0", "1e3", "0x10", "12abc", "abc", "99999999999999999999"}) {
    EXPECT_EQ(ParseInt(bad), std::nullopt) << bad;
  }
}

TEST(Strings, AsciiLowerChangesOnlyAToZ) {
  EXPECT_EQ(AsciiLower("Content-TYPE"), "content-type");
  EXPECT_EQ(AsciiLower("\xc3\x84 1_X"), "\xc3\x84 1_x");
}

TEST(Strings, EndsWith) {
  EXPECT_TRUE(EndsWith("val_loss", "loss"));
  EXPECT_TRUE(EndsWith("x", ""));
  EXPECT_FALSE(EndsWith("loss", "val_loss"));
}

}  // namespace
}  // namespace sweep

namespace sweep {
namespace {

TEST(Strings, TrimRightCsvFieldAndFormatUtc) {
  EXPECT_EQ(TrimRight("a b  "), "a b");
  EXPECT_EQ(TrimRight("   "), "");
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField(" padded"), "\" padded\"");
  EXPECT_EQ(FormatUtc(0, "%Y-%m-%dT%H:%M:%SZ"), "1970-01-01T00:00:00Z");
}

}  // namespace
TEST(FormatIndexRanges, CompactsRuns) {
  EXPECT_EQ(FormatIndexRanges({}), "");
  EXPECT_EQ(FormatIndexRanges({3}), "3");
  EXPECT_EQ(FormatIndexRanges({3, 4}), "3,4");
  EXPECT_EQ(FormatIndexRanges({0, 3, 5, 6, 7, 9}), "0,3,5-7,9");
}

TEST(FirstInvalidUtf8, FindsTheFirstBadByte) {
  EXPECT_EQ(FirstInvalidUtf8("plain ascii"), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8("caf\xe9"), 3u);           // Latin-1, not UTF-8
  EXPECT_EQ(FirstInvalidUtf8("a\xc0\xaf"), 1u);         // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8("ab\xed\xa0\x80"), 2u);    // a surrogate
  EXPECT_EQ(FirstInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("ok\xe2\x82"), 2u);        // cut short
  EXPECT_EQ(FirstInvalidUtf8(std::string_view("a\0b", 3)), std::nullopt);
}

}  // namespace sweep
