// Golden producer of compiler/format: the formatted text of each input, or
// its syntax errors (the `fail_*` inputs, which rig fmt leaves untouched).
#include "compiler/diag/render.h"
#include "compiler/format/format.h"
#include "tests/golden/golden.h"

int main(int argc, char** argv) {
  return rig::golden::mainOverSources(
      argc, argv,
      [](rig::SourceFiles& sources, rig::FileId file, const std::string&,
         llvm::raw_ostream& os) {
        rig::diag::Emitter emitter;
        rig::format::Result result =
            rig::format::formatFile(file, sources, emitter);
        switch (result.outcome) {
          case rig::format::Outcome::Formatted: os << result.text; break;
          case rig::format::Outcome::SyntaxErrors:
            rig::diag::renderText(emitter.diagnostics(), sources, os);
            break;
          case rig::format::Outcome::Unsafe:
            os << "UNSAFE: " << result.problem << "\n";
            return true;
        }
        return result.outcome != rig::format::Outcome::Formatted;
      });
}
