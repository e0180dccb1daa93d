#include "cloud/aws/xml.h"

#include <cstdlib>

namespace sweep::aws {

std::vector<std::string> XmlValues(std::string_view xml, const std::string& tag) {
  std::vector<std::string> out;
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  for (size_t pos = xml.find(open); pos != std::string_view::npos; pos = xml.find(open, pos)) {
    pos += open.size();
    const size_t end = xml.find(close, pos);
    if (end == std::string_view::npos) break;
    std::string_view raw = xml.substr(pos, end - pos);
    std::string v;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        v += raw[i];
        continue;
      }
      const size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos) {
        v += raw[i];
        continue;
      }
      std::string_view ent = raw.substr(i + 1, semi - i - 1);
      if (ent == "amp")
        v += '&';
      else if (ent == "lt")
        v += '<';
      else if (ent == "gt")
        v += '>';
      else if (ent == "quot")
        v += '"';
      else if (ent == "apos")
        v += '\'';
      else if (!ent.empty() && ent[0] == '#') {
        const long cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X')
                            ? std::strtol(std::string(ent.substr(2)).c_str(), nullptr, 16)
                            : std::strtol(std::string(ent.substr(1)).c_str(), nullptr, 10);
        if (cp < 0x80) {
          v += static_cast<char>(cp);
        } else if (cp < 0x800) {
          v += static_cast<char>(0xC0 | (cp >> 6));
          v += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          v += static_cast<char>(0xE0 | (cp >> 12));
          v += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          v += static_cast<char>(0x80 | (cp & 0x3F));
        }
      } else {
        v += "&" + std::string(ent) + ";";
      }
      i = semi;
    }
    out.push_back(std::move(v));
    pos = end + close.size();
  }
  return out;
}

std::string FirstXml(std::string_view xml, const std::string& tag) {
  auto v = XmlValues(xml, tag);
  return v.empty() ? "" : v[0];
}

}  // namespace sweep::aws
