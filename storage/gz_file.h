// Reading a whole local file, gzip-compressed or not (zlib detects the format), in large chunks.
#pragma once

#include <string>

#include "base/status.h"

namespace sweep::storage {

// Errors: NotFound, InvalidArgument (permission), Corruption (bad gzip stream), Unavailable.
Status ReadMaybeGzipped(const std::string& path, std::string* contents);

bool EndsWith(const std::string& s, const std::string& suffix);

}  // namespace sweep::storage
