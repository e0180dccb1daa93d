#include "sweep/report/page.h"

#include <gtest/gtest.h>

namespace sweep::report {
namespace {

TEST(EscapeForScript, NoTagCanEndTheDataScript) {
  const std::string json = R"({"error":"</script><script>alert(1)</script><!--"})";
  const std::string out = EscapeForScript(json);
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out, R"({"error":"\u003c/script>\u003cscript>alert(1)\u003c/script>\u003c!--"})");
}

TEST(RenderPage, OneSelfContainedFile) {
  const std::string page = RenderPage(R"({"root":"</script>"})", "sweep report: <root>");
  EXPECT_EQ(page.find("{{"), std::string::npos) << "a placeholder left";
  EXPECT_NE(page.find("<title>sweep report: &lt;root&gt;</title>"), std::string::npos);
  EXPECT_NE(page.find(R"({"root":"\u003c/script>"})"), std::string::npos);
  // Nothing that would load from elsewhere: no external script, stylesheet or URL.
  EXPECT_EQ(page.find("src="), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
}

TEST(HtmlEscape, EscapesMarkupCharacters) {
  EXPECT_EQ(HtmlEscape(R"(a<b>&"c'd)"), "a&lt;b&gt;&amp;&quot;c&#39;d");
}

}  // namespace
}  // namespace sweep::report
