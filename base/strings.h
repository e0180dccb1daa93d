// Small string helpers shared by the parsers and command lines.
#pragma once

#include <cstdint>
#include <ctime>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sweep {

// Levenshtein distance.
int EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word` if it is close enough to be a plausible typo, else "".
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// `s` without leading and trailing whitespace (isspace: blanks, tabs, CR, LF).
std::string Trim(std::string_view s);
// `s` without trailing blanks (' '), for lines padded into columns.
std::string TrimRight(std::string s);

// `text` as one RFC 4180 CSV field: quoted (with "" for ") when it holds a comma, a quote, CR
// or LF, or starts or ends with a blank; else as is.
std::string CsvField(const std::string& text);

// `t` in UTC through strftime's `format` ("%Y%m%dT%H%M%SZ"); at most 31 characters.
std::string FormatUtc(std::time_t t, const char* format);

// The one integer parser: `s` whole as a decimal integer in [min, max] ("42", "-3"; no '+', no
// spaces, no trailing text); nullopt otherwise (empty, not a number, out of range).
std::optional<int64_t> ParseInt(std::string_view s,
                                int64_t min = std::numeric_limits<int64_t>::min(),
                                int64_t max = std::numeric_limits<int64_t>::max());

// `s` with A-Z turned into a-z (header names, "true"/"TRUE" settings); other bytes kept.
std::string AsciiLower(std::string s);

// Whether `s` ends with `suffix`.
bool EndsWith(std::string_view s, std::string_view suffix);

// The environment variable's value, or "" when it is unset.
std::string GetEnv(const char* name);

// The offset of the first byte of `s` that does not belong to valid UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF are invalid), or nullopt when all of `s` is valid.
std::optional<size_t> FirstInvalidUtf8(std::string_view s);

// "3,5-7" for {3,5,6,7}; "" for none. `indices` must be sorted.
std::string FormatIndexRanges(const std::vector<int>& indices);

// " (did you mean 'x'?)" or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// `parts` with `separator` between them: StrJoin({"a", "b"}, "; ") is "a; b".
std::string StrJoin(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace sweep
