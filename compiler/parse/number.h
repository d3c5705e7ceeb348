// Decoding of numeric literals: integers, floats, durations and sizes. Free
// of ANTLR so it can be unit-tested on its own.
#ifndef RIG_COMPILER_PARSE_NUMBER_H
#define RIG_COMPILER_PARSE_NUMBER_H

#include <cstdint>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "llvm/ADT/StringRef.h"

namespace rig::parse {

struct NumberLiteral {
  bool ok = false;
  ast::ExprKind kind = ast::ExprKind::Int;  // Int, Float, Duration, Size
  int64_t intValue = 0;                     // Int; Size in bytes
  double floatValue = 0;                    // Float; Duration in milliseconds
  // When !ok: the diagnostic to report and its arguments.
  diag::Kind error = diag::Kind::InvalidNumber;
  std::string arg0, arg1;
  std::string help;
};

// `text` is one NUMBER token: `42`, `0x2a`, `1_000`, `3.5`, `1e-3`, `500ms`,
// `1.5m`, `512MiB`. Never fails with anything but a diagnostic.
NumberLiteral decodeNumber(llvm::StringRef text);

}  // namespace rig::parse

#endif
