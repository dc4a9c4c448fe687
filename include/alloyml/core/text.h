#pragma once
// Small string helpers shared by every layer (no heavy headers).
#include <string>
#include <vector>

namespace alloyml {

/// Levenshtein distance.
size_t edit_distance(const std::string& a, const std::string& b);

/// The candidate closest to `word` by edit distance, or "" when none is close.
std::string closest(const std::string& word, const std::vector<std::string>& candidates);

/// "a, b, c".
std::string join(const std::vector<std::string>& parts, const std::string& sep = ", ");

/// `v` with `digits` decimals ("%.*f").
std::string fixed(double v, int digits);

/// `s` without leading and trailing blanks (spaces, tabs, CR, LF).
std::string trim(const std::string& s);

/// `s` cut to its first `n` bytes with "..." after them when longer (an outside path in a message).
std::string shorten(const std::string& s, size_t n);

/// `s` as UTF-8 text for JSON: unchanged when it is UTF-8; otherwise each byte that is not part of
/// a well-formed character becomes the four characters \xHH (a file name from disk, which Linux
/// allows to be any bytes). The same name always gives the same text, so it can be matched again.
std::string escape_non_utf8(const std::string& s);

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool is_utf8(const std::string& s);

}  // namespace alloyml
