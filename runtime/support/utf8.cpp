#include "runtime/support/utf8.h"

#include "llvm/Support/ConvertUTF.h"

namespace rig::utf8 {

static bool continues(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

unsigned decode(llvm::StringRef text, size_t at, uint32_t& codePoint) {
  auto* begin = reinterpret_cast<const llvm::UTF8*>(text.data() + at);
  auto* end = reinterpret_cast<const llvm::UTF8*>(text.data() + text.size());
  const llvm::UTF8* next = begin;
  llvm::UTF32 cp = 0;
  if (at >= text.size() ||
      llvm::convertUTF8Sequence(&next, end, &cp, llvm::strictConversion) !=
          llvm::conversionOK)
    return 0;
  codePoint = cp;
  return static_cast<unsigned>(next - begin);
}

unsigned sequenceLength(unsigned char lead) {
  if (continues(static_cast<char>(lead))) return 0;
  unsigned n = llvm::getNumBytesForUTF8(lead);
  return n <= 4 ? n : 0;
}

size_t codePointCount(llvm::StringRef text) {
  size_t n = 0;
  for (char c : text)
    if (!continues(c)) ++n;
  return n;
}

llvm::StringRef takeCodePoints(llvm::StringRef text, size_t count) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (continues(text[i])) continue;
    if (seen == count) return text.take_front(i);
    ++seen;
  }
  return text;
}

}  // namespace rig::utf8
