// Masking of personal ID numbers (身份证号 and other personal document numbers)
// for every log line, error message, metric label and report.
#pragma once

#include <string>
#include <string_view>

namespace cg {

// Keeps the first 6 and last 4 characters: 510802********1234.
// Values of 10 characters or fewer are masked whole.
std::string mask_id(std::string_view id);

// Masks every substring of `text` that may be a resident ID number: a run
// of 15 digits, or of 17 or more digits (with a final X), in ASCII or
// full-width form, whatever stands before or after it (letters, an escaped
// "\n", Chinese text). Each keeps its first 6 and last 4 characters. The
// gateway's own ids (32, 40 or 64 lowercase hex characters as a word) are
// left whole.
std::string mask_ids_in_text(std::string_view text);

}  // namespace cg
