// UTF-8 as rig reads it everywhere (string `len`, console text in reports,
// keys typed at `rig repl`): decoding is LLVM's ConvertUTF; this adds the
// code-point counting and cutting the callers share.
#ifndef RIG_RUNTIME_SUPPORT_UTF8_H
#define RIG_RUNTIME_SUPPORT_UTF8_H

#include <cstddef>
#include <cstdint>

#include "llvm/ADT/StringRef.h"

namespace rig::utf8 {

// The code point at text[at] and its length in bytes; 0 when text[at...]
// is not valid UTF-8 (a stray continuation byte, a truncated sequence, an
// overlong form, a surrogate, past U+10FFFF).
unsigned decode(llvm::StringRef text, size_t at, uint32_t& codePoint);

// How many bytes a sequence that starts with `lead` has (1 to 4), or 0 for
// a byte that cannot start one.
unsigned sequenceLength(unsigned char lead);

// The number of code points in `text`: each byte that does not continue a
// sequence starts one (an invalid byte counts as one).
size_t codePointCount(llvm::StringRef text);

// The longest prefix of `text` with at most `count` code points (never cuts
// a sequence).
llvm::StringRef takeCodePoints(llvm::StringRef text, size_t count);

}  // namespace rig::utf8

#endif
