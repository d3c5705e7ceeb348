// What the formatter needs from the AST: where declarations, body items and
// statements begin (each starts a line) and which `{` open objects (the
// others open bodies and blocks).
#ifndef RIG_COMPILER_FORMAT_STRUCTURE_H
#define RIG_COMPILER_FORMAT_STRUCTURE_H

#include <cstdint>
#include <map>
#include <set>

#include "compiler/ast/ast.h"

namespace rig::format {

enum class TopKind { Import, Let, Other };

struct Structure {
  std::set<uint32_t> itemStarts;     // byte offsets of first tokens
  std::set<uint32_t> objectOpeners;  // byte offsets of `{` of objects
  // Top-level declarations by start offset, for the blank-line rule.
  std::map<uint32_t, TopKind> topLevel;
};

Structure structureOf(const ast::File& file);

}  // namespace rig::format

#endif
