// Reading a whole local data file, gzip-compressed or not (by its magic bytes), into memory.
//
// Only regular files are read: a folder, a device (/dev/zero) or a FIFO is refused at once
// (opened with O_NONBLOCK, so a FIFO with no writer cannot hang the open). A gzip file must end
// cleanly: every member reaches its end and its trailer's CRC-32 and length match, so a file
// cut short, even on a line boundary, is Corruption, never a shorter data set. The trailer's
// length is never trusted for a buffer size: the output grows as it is decoded, up to
// DataByteLimit() (data/limits.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace sweep::data {

// Errors: NotFound; InvalidArgument (permission, not a regular file, contents or decoded size
// over the data limit); Corruption ("truncated gzip stream", a bad CRC or length, bytes after
// the last member, bad deflate data); Unavailable (EIO...).
Status ReadMaybeGzipped(const std::string& path, std::string* contents);

// Decodes one or more concatenated gzip members from `in` into `out`, at most `limit` bytes.
// `name` is used in messages. Errors as above.
Status Gunzip(std::string_view in, const std::string& name, uint64_t limit, std::string* out);

}  // namespace sweep::data
