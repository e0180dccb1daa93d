// Just enough XML for AWS's flat responses (S3 listings and errors, STS credentials): the text
// of elements by tag name, with the five named entities and numeric references decoded. No
// attributes, namespaces or CDATA; the first closing tag ends an element.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sweep::aws {

// The text of each <tag>...</tag> in `xml`, in document order.
std::vector<std::string> XmlValues(std::string_view xml, const std::string& tag);

// The first of XmlValues, or "".
std::string FirstXml(std::string_view xml, const std::string& tag);

}  // namespace sweep::aws
