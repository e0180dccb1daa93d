// The report's HTML: assets/page.html with the CSS, the data and the JS put in place. The page
// is one file: no <link>, no src= to anything, no fetch (report.js draws with hand-written SVG),
// so opening it makes no network request.
#pragma once

#include <string>
#include <string_view>

namespace sweep::report {

// JSON text made safe inside <script type="application/json">: every '<' becomes \u003c (only
// strings can hold one), so no "</script>" or "<!--" in a value can end or confuse the element.
std::string EscapeForScript(std::string_view json);

// The whole page for `data_json` (ReportDataJson) with `title` (HTML-escaped here).
std::string RenderPage(std::string_view data_json, std::string_view title);

// Text safe in HTML content and attribute values (& < > " ').
std::string HtmlEscape(std::string_view text);

}  // namespace sweep::report
