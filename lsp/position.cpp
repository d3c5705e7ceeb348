#include "lsp/position.h"

#include <algorithm>

namespace rig::lsp {

namespace {

// Bytes of the UTF-8 sequence that starts with `lead`, and the UTF-16 units
// its code point takes.
unsigned sequenceBytes(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;  // an invalid byte counts as one code point
}

}  // namespace

LineTable::LineTable(llvm::StringRef text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(static_cast<uint32_t>(i + 1));
}

llvm::json::Object LineTable::position(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, text_.size());
  size_t line = std::upper_bound(starts_.begin(), starts_.end(), offset) -
                starts_.begin() - 1;
  int64_t units = 0;
  for (uint32_t i = starts_[line]; i < offset;) {
    unsigned n = sequenceBytes(static_cast<unsigned char>(text_[i]));
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return llvm::json::Object{{"line", static_cast<int64_t>(line)},
                            {"character", units}};
}

llvm::json::Object LineTable::range(uint32_t begin, uint32_t end) const {
  return llvm::json::Object{{"start", position(begin)}, {"end", position(end)}};
}

uint32_t LineTable::offset(int64_t line, int64_t character) const {
  if (line < 0) return 0;
  if (static_cast<size_t>(line) >= starts_.size())
    return static_cast<uint32_t>(text_.size());
  uint32_t i = starts_[line];
  uint32_t lineEnd = static_cast<size_t>(line) + 1 < starts_.size()
                         ? starts_[line + 1] - 1
                         : static_cast<uint32_t>(text_.size());
  int64_t units = 0;
  while (i < lineEnd && units < character) {
    unsigned n = sequenceBytes(static_cast<unsigned char>(text_[i]));
    units += n == 4 ? 2 : 1;
    i = std::min<uint32_t>(i + n, lineEnd);
  }
  return i;
}

uint32_t LineTable::offset(const llvm::json::Object* position) const {
  if (!position) return 0;
  return offset(position->getInteger("line").getValueOr(0),
                position->getInteger("character").getValueOr(0));
}

}  // namespace rig::lsp
