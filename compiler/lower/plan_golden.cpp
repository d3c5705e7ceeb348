// Golden producer of compiler/lower (tests/testdata/plan): the plan JSON of
// each suite, or its diagnostics. Source texts are elided from the output
// (they are the input) and the hash is omitted so that an unrelated change
// shows up where it happens, not in every file's hash line.
#include "compiler/diag/render.h"
#include "compiler/lower/lower.h"
#include "tests/golden/phases.h"

namespace rig::golden {

bool producePlan(SourceFiles& sources, FileId file, const std::string&,
                 llvm::raw_ostream& os) {
  diag::Emitter emitter;
  sema::Program program = checkSuite(sources, file, emitter);
  std::optional<plan::Plan> plan;
  if (program.ok) plan = lower::lower(program, {}, emitter);
  diag::renderText(emitter.diagnostics(), sources, os);
  bool hasErrors = emitter.hasErrors();
  if (plan) {
    // The plan must survive its own JSON round trip and validation.
    std::string text = plan::writePlan(*plan);
    auto back = plan::parsePlan(text);
    if (!back) {
      os << "round trip failed: " << llvm::toString(back.takeError()) << "\n";
      hasErrors = true;
    } else if (auto err = plan::validate(*back)) {
      os << "invalid plan: " << llvm::toString(std::move(err)) << "\n";
      hasErrors = true;
    }
    plan::Plan shown = *plan;
    for (auto& s : shown.sources) s.text = "(elided)";
    shown.hash = "(elided)";
    os << plan::formatJSON(plan::toJSON(shown));
  }
  return hasErrors;
}

}  // namespace rig::golden
