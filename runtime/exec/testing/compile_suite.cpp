#include "runtime/exec/testing/compile_suite.h"

#include "compiler/diag/render.h"
#include "compiler/lower/lower.h"
#include "compiler/sema/sema.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace rig::exec::testing {

llvm::Expected<plan::Plan> compileSuite(const std::string& text,
                                        const std::string& path) {
  SourceFiles sources;
  FileId file = sources.add(path, text);
  diag::Emitter emitter;
  sema::Program program = sema::check(sources, file, sema::Options(), emitter);
  std::optional<plan::Plan> plan;
  if (!emitter.hasErrors()) plan = lower::lower(program, lower::Options(), emitter);
  if (emitter.hasErrors() || !plan) {
    std::string text;
    llvm::raw_string_ostream os(text);
    diag::renderText(emitter.diagnostics(), sources, os);
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s",
                                   os.str().c_str());
  }
  return std::move(*plan);
}

}  // namespace rig::exec::testing
