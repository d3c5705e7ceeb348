// Text from a guest's serial console made safe to print on a terminal or to
// write into XML. Internal to runtime/report.
#ifndef RIG_RUNTIME_REPORT_PLAIN_TEXT_H
#define RIG_RUNTIME_REPORT_PLAIN_TEXT_H

#include <cstdint>
#include <string>

#include "llvm/ADT/StringRef.h"

namespace rig::report {

// `text` without ANSI escape sequences (a guest's colours, cursor movement
// that would break the live status block) and without control characters
// other than '\n' and '\t' (XML 1.0 forbids them); invalid UTF-8 and the
// non-characters U+FFFE/U+FFFF become U+FFFD.
std::string plainText(llvm::StringRef text);

// How many columns `text` takes (one per code point: rig prints no wide
// characters of its own), and its longest prefix that fits in `columns`.
size_t displayWidth(llvm::StringRef text);
llvm::StringRef fitColumns(llvm::StringRef text, size_t columns);

// A piece plainText() is made of, for other formats' escaping (HTML): the
// length of the escape sequence starting at text[at] (an ESC: CSI, OSC and
// the other string sequences, or ESC and one character). UTF-8 decoding is
// runtime/support/utf8.h.
size_t escapeLength(llvm::StringRef text, size_t at);

}  // namespace rig::report

#endif
