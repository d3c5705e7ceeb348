#include "runtime/report/plain_text.h"

#include "runtime/support/utf8.h"

namespace rig::report {

size_t escapeLength(llvm::StringRef text, size_t at) {
  size_t i = at + 1;
  if (i >= text.size()) return 1;
  char kind = text[i++];
  if (kind == '[') {  // CSI: parameters, intermediates, one final byte
    while (i < text.size() && text[i] >= 0x20 && text[i] <= 0x3F) ++i;
    return (i < text.size() ? i + 1 : i) - at;
  }
  if (kind == ']' || kind == 'P' || kind == '_' || kind == '^') {
    // OSC and other strings: up to BEL or ST (ESC \).
    while (i < text.size() && text[i] != '\a' &&
           !(text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '\\'))
      ++i;
    if (i < text.size()) i += text[i] == '\a' ? 1 : 2;
    return i - at;
  }
  return 2;  // ESC and one character (ESC c, ESC 7, ...)
}

std::string plainText(llvm::StringRef text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\x1b') {
      i += escapeLength(text, i);
      continue;
    }
    uint32_t cp = 0;
    unsigned n = utf8::decode(text, i, cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    bool control = (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F ||
                   (cp >= 0x80 && cp <= 0x9F);
    if (cp == 0xFFFE || cp == 0xFFFF)
      out += "\xEF\xBF\xBD";
    else if (!control)
      out.append(text.data() + i, n);
    i += n;
  }
  return out;
}

size_t displayWidth(llvm::StringRef text) { return utf8::codePointCount(text); }

llvm::StringRef fitColumns(llvm::StringRef text, size_t columns) {
  return utf8::takeCodePoints(text, columns);
}

}  // namespace rig::report
