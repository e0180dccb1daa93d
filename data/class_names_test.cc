#include "data/class_names.h"

#include <gmock/gmock.h>

#include "base/testing.h"

namespace sweep::data {
namespace {

using ::testing::HasSubstr;

TEST(NameClasses, SortedByteOrderAndIndices) {
  std::vector<float> y;
  auto names = NameClasses({"b", "Iris-virginica", "a", "b", "Iris-setosa"}, &y);
  EXPECT_EQ(names, (std::vector<std::string>{"Iris-setosa", "Iris-virginica", "a", "b"}));
  EXPECT_EQ(y, (std::vector<float>{3, 1, 2, 3, 0}));
}

TEST(ClassLookup, UnknownNameListsTheKnownOnes) {
  std::vector<std::string> names = {"cat", "dog"};
  ClassLookup lookup(names);
  auto dog = lookup.Find("dog");
  ASSERT_OK(dog);
  EXPECT_EQ(*dog, 1);
  EXPECT_EQ(lookup.Find("cow").status().message(),
            "label 'cow' is not one of the model's classes (cat, dog)");
}

TEST(JoinClassNames, LongListsAreCut) {
  std::vector<std::string> names;
  for (int i = 0; i < 12; ++i) names.push_back("c" + std::to_string(i));
  EXPECT_EQ(JoinClassNames(names), "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, ... (12 in all)");
}

TEST(RemapClasses, TestSetByTheTrainingSetsNames) {
  Dataset test;
  test.source = "test.csv";
  test.class_names = {"b", "c"};  // "a" absent from the test set
  test.y = {1, 0, 1};
  test.num_classes = 2;
  ASSERT_OK(RemapClasses(&test, {"a", "b", "c"}));
  EXPECT_EQ(test.y, (std::vector<float>{2, 1, 2}));
  EXPECT_EQ(test.num_classes, 3);
  EXPECT_EQ(test.class_names, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(RemapClasses, UnknownOrMissingNamesAreInvalid) {
  Dataset test;
  test.source = "test.csv";
  test.class_names = {"z"};
  test.y = {0};
  Status s = RemapClasses(&test, {"a", "b"});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("test.csv: label 'z' is not one of the model's classes"));
  EXPECT_THAT(RemapClasses(&test, {}).message(), HasSubstr("labels are class names"));
  test.class_names.clear();
  EXPECT_THAT(RemapClasses(&test, {"a"}).message(), HasSubstr("labels are class indices"));
  EXPECT_OK(RemapClasses(&test, {}));
}

Dataset Labels(std::vector<float> y, int num_classes) {
  Dataset d = ZeroDataset(static_cast<int64_t>(y.size()), 1, num_classes);
  d.y = std::move(y);
  d.source = "zoo.csv";
  return d;
}

TEST(UnseenClassesWarning, NamesClassesBelowTheLargestThatNoRowHas) {
  EXPECT_EQ(UnseenClassesWarning(Labels({1, 2, 3, 4, 5, 6, 7}, 8)),
            "zoo.csv: classes 0 never occur in the training data (labels 1..7 give an 8-class "
            "output); relabel from 0 to drop them");
  EXPECT_EQ(UnseenClassesWarning(Labels({0, 1, 3, 1}, 4)),
            "zoo.csv: classes 2 never occur in the training data (labels 0..3 give a 4-class "
            "output); relabel from 0 without gaps to drop them");
  EXPECT_THAT(UnseenClassesWarning(Labels({20}, 21)),
              HasSubstr("classes 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 10 more never occur"));
  EXPECT_THAT(UnseenClassesWarning(Labels({11}, 12)), HasSubstr("give a 12-class output"));
  EXPECT_THAT(UnseenClassesWarning(Labels({10}, 11)), HasSubstr("give an 11-class output"));
}

TEST(UnseenClassesWarning, SilentWhenEveryClassOccursNamedOrRegression) {
  EXPECT_EQ(UnseenClassesWarning(Labels({2, 0, 1, 0}, 3)), "");
  Dataset named = Labels({1, 1}, 2);
  named.class_names = {"cat", "dog"};  // a name list: its classes are the names seen
  EXPECT_EQ(UnseenClassesWarning(named), "");
  EXPECT_EQ(UnseenClassesWarning(Labels({3.5f, 7.25f}, 0)), "");  // regression
  EXPECT_EQ(UnseenClassesWarning(Labels({}, 0)), "");
}

}  // namespace
}  // namespace sweep::data
