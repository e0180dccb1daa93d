// Reading a whole local file, gzip-compressed or not (zlib detects the format), in large chunks.
#pragma once

#include <string>

#include "base/status.h"

namespace sweep::data {

// Errors: NotFound, InvalidArgument (permission), Corruption (bad gzip stream), Unavailable.
Status ReadMaybeGzipped(const std::string& path, std::string* contents);

}  // namespace sweep::data
