// Golden producer of compiler/format: the formatted text of each input, or
// its syntax errors (the `fail_*` inputs, which rig fmt leaves untouched).
#include "compiler/diag/render.h"
#include "compiler/format/format.h"
#include "tests/golden/phases.h"

namespace rig::golden {

bool produceFmt(SourceFiles& sources, FileId file, const std::string&,
                llvm::raw_ostream& os) {
  diag::Emitter emitter;
  format::Result result = format::formatFile(file, sources, emitter);
  switch (result.outcome) {
    case format::Outcome::Formatted: os << result.text; break;
    case format::Outcome::SyntaxErrors:
      diag::renderText(emitter.diagnostics(), sources, os);
      break;
    case format::Outcome::Unsafe:
      os << "UNSAFE: " << result.problem << "\n";
      return true;
  }
  return result.outcome != format::Outcome::Formatted;
}

}  // namespace rig::golden
