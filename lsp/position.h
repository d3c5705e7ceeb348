// LSP positions (line, UTF-16 code unit) <-> byte offsets in a text.
#ifndef RIG_LSP_POSITION_H
#define RIG_LSP_POSITION_H

#include <cstdint>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

namespace rig::lsp {

class LineTable {
 public:
  explicit LineTable(llvm::StringRef text);
  // {"line": L, "character": C}; C counts UTF-16 code units.
  llvm::json::Object position(uint32_t offset) const;
  llvm::json::Object range(uint32_t begin, uint32_t end) const;
  // The byte offset of an LSP position (clamped to the text).
  uint32_t offset(int64_t line, int64_t character) const;
  uint32_t offset(const llvm::json::Object* position) const;

 private:
  llvm::StringRef text_;
  std::vector<uint32_t> starts_;
};

}  // namespace rig::lsp

#endif
