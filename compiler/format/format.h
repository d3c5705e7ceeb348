// rig fmt: the canonical layout of a spec (docs/fmt.md). Works on the real
// token stream (compiler/parse/tokens.h, comments included) and uses the AST
// for structure; every result is re-parsed and compared with the input's
// AST before it is returned, so formatting never changes meaning.
#ifndef RIG_COMPILER_FORMAT_FORMAT_H
#define RIG_COMPILER_FORMAT_FORMAT_H

#include <string>

#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"

namespace rig::format {

struct Options {
  unsigned width = 100;  // a line longer than this gets its lists wrapped
  unsigned indent = 2;   // spaces per level
};

enum class Outcome {
  Formatted,     // `text` is the canonical layout (maybe equal to the input)
  SyntaxErrors,  // the diagnostics went to the emitter; nothing to write
  Unsafe,        // the layout would change the AST (a bug): `problem` says
};

struct Result {
  Outcome outcome = Outcome::Formatted;
  std::string text;
  std::string problem;
};

// Formats one file of `sources`. Syntax errors are reported to `emitter`.
Result formatFile(FileId file, const SourceFiles& sources,
                  diag::Emitter& emitter, const Options& options = {});

// Convenience for tests and tools: formats `text` as a file named `path`.
Result formatText(llvm::StringRef path, llvm::StringRef text,
                  const Options& options = {});

// The AST dump of `text` without ranges, or "" with the syntax errors
// rendered into `errors`: what "formatting keeps the meaning" compares.
std::string meaning(llvm::StringRef path, llvm::StringRef text,
                    std::string* errors = nullptr);

}  // namespace rig::format

#endif
