// Golden producer of compiler/lower (tests/testdata/plan): the plan JSON of
// each suite, or its diagnostics. Source texts are elided from the output
// (they are the input) and the hash is omitted so that an unrelated change
// shows up where it happens, not in every file's hash line.
#include "compiler/diag/render.h"
#include "compiler/lower/lower.h"
#include "compiler/sema/sema.h"
#include "llvm/Support/FormatVariadic.h"
#include "tests/golden/golden.h"

int main(int argc, char** argv) {
  return rig::golden::mainOverSources(
      argc, argv,
      [](rig::SourceFiles& sources, rig::FileId file, const std::string& /*mode*/,
         llvm::raw_ostream& os) {
        rig::diag::Emitter emitter;
        rig::sema::Options options;
        options.stdlibDir = rig::golden::kStdlibFromTestdata;
        rig::sema::Program program =
            rig::sema::check(sources, file, options, emitter);
        std::optional<rig::plan::Plan> plan;
        if (program.ok) plan = rig::lower::lower(program, {}, emitter);
        rig::diag::renderText(emitter.diagnostics(), sources, os);
        bool hasErrors = emitter.hasErrors();
        if (plan) {
          // The plan must survive its own JSON round trip and validation.
          std::string text = rig::plan::writePlan(*plan);
          auto back = rig::plan::parsePlan(text);
          if (!back) {
            os << "round trip failed: " << llvm::toString(back.takeError()) << "\n";
            hasErrors = true;
          } else if (auto err = rig::plan::validate(*back)) {
            os << "invalid plan: " << llvm::toString(std::move(err)) << "\n";
            hasErrors = true;
          }
          rig::plan::Plan shown = *plan;
          for (auto& s : shown.sources) s.text = "(elided)";
          shown.hash = "(elided)";
          os << rig::plan::formatJSON(rig::plan::toJSON(shown));
        }
        return hasErrors;
      });
}
