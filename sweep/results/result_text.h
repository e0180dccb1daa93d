// The raw text of a sweep's small files, before parsing: collect and status read thousands of
// result.json files, so these avoid streams and skip what no summary shows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace sweep {

// Reads a whole small file (up to `max_bytes`: at least that many are kept when the file is
// longer) with plain syscalls. Returns false when it is absent (ENOENT, ENOTDIR); for any other
// failure returns false with `error` set to the errno (EISDIR, EACCES, EIO, EMFILE, ...).
bool ReadSmallFile(const std::string& path, std::string* out, int* error,
                   size_t max_bytes = SIZE_MAX);

// Replaces the top-level "history" array of a result.json text by [] before parsing: no
// summary shows it and it is most of a result file, so this halves the work of collecting a
// large sweep. A text too broken to find the end of the array is left as is (ParseResult then
// reports it).
void DropHistory(std::string* text);

}  // namespace sweep
