// libFuzzer target for the parser: any bytes must end in diagnostics or an
// AST, and rendering both must not crash. Built only with -DRIG_FUZZ=ON
// (the `fuzz` preset, clang); run by tests/fuzz/run.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/diag/render.h"
#include "compiler/parse/parse.h"
#include "llvm/Support/raw_ostream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rig::SourceFiles sources;
  rig::FileId file = sources.add(
      "fuzz.rig", std::string(reinterpret_cast<const char*>(data), size));
  rig::diag::Emitter emitter;
  rig::ast::File ast = rig::parse::parseFile(file, sources, emitter);
  llvm::raw_null_ostream os;
  rig::diag::renderText(emitter.diagnostics(), sources, os);
  rig::diag::renderJson(emitter.diagnostics(), sources, os);
  rig::ast::dump(ast, sources, os);
  return 0;
}
