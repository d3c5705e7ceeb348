#include "runtime/report/plain_text.h"

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

unsigned decodeUtf8(llvm::StringRef text, size_t at, uint32_t& cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(at);
  unsigned n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
                            : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || at + n > text.size()) return 0;
  cp = n == 1 ? c : c & (0x7F >> n);
  for (unsigned k = 1; k < n; ++k) {
    if ((byte(at + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(at + k) & 0x3F);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;  // overlong, out of range, surrogate
  return n;
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
    unsigned n = decodeUtf8(text, i, cp);
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

size_t displayWidth(llvm::StringRef text) {
  size_t columns = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++columns;
  return columns;
}

llvm::StringRef fitColumns(llvm::StringRef text, size_t columns) {
  size_t used = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (used == columns) return text.take_front(i);
    ++used;
  }
  return text;
}

}  // namespace rig::report
