#include "sweep/report/page.h"

#include "base/check.h"
#include "report_assets.h"

namespace sweep::report {
namespace {

// Replaces each "{{NAME}}" in `page` by `value` (never searching inside what it inserts).
void Fill(std::string* page, std::string_view name, std::string_view value) {
  const std::string mark = "{{" + std::string(name) + "}}";
  size_t at = page->find(mark);
  SWEEP_CHECK(at != std::string::npos);  // page.html has every placeholder (page_test)
  for (; at != std::string::npos; at = page->find(mark, at + value.size())) {
    page->replace(at, mark.size(), value);
  }
}

}  // namespace

std::string EscapeForScript(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 64);
  for (char c : json) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderPage(std::string_view data_json, std::string_view title) {
  // Filled in page order, data last: a placeholder-like text inside the data is never searched.
  std::string page(assets::kPageHtml);
  Fill(&page, "TITLE", HtmlEscape(title));
  Fill(&page, "CSS", assets::kReportCss);
  Fill(&page, "JS", assets::kReportJs);
  Fill(&page, "DATA", EscapeForScript(data_json));
  return page;
}

}  // namespace sweep::report
