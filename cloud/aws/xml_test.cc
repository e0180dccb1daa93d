#include "cloud/aws/xml.h"

#include <gtest/gtest.h>

namespace sweep::aws {
namespace {

TEST(Xml, ValuesInOrderWithEntitiesDecoded) {
  const char* xml = "<R><Key>a&amp;b</Key><Key>&lt;c&gt; &quot;d&apos; &#65;&#x42;</Key></R>";
  EXPECT_EQ(XmlValues(xml, "Key"), (std::vector<std::string>{"a&b", "<c> \"d' AB"}));
  EXPECT_EQ(FirstXml(xml, "Key"), "a&b");
}

TEST(Xml, NestedElementsAndMissingTags) {
  const char* xml = "<A><Credentials><AccessKeyId>K</AccessKeyId></Credentials></A>";
  EXPECT_EQ(FirstXml(FirstXml(xml, "Credentials"), "AccessKeyId"), "K");
  EXPECT_EQ(FirstXml(xml, "Missing"), "");
  EXPECT_TRUE(XmlValues("<Key>unterminated", "Key").empty());
  EXPECT_EQ(FirstXml("<K>caf&#233;</K>", "K"), "caf\xC3\xA9");
}

}  // namespace
}  // namespace sweep::aws
