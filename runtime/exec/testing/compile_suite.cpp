#include "runtime/exec/testing/compile_suite.h"

#include "compiler/diag/render.h"
#include "compiler/lower/lower.h"
#include "compiler/parse/parse.h"
#include "compiler/sema/sema.h"
#include "gtest/gtest.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace rig::exec::testing {
namespace {

std::string rendered(const diag::Emitter& emitter, const SourceFiles& sources) {
  std::string text;
  llvm::raw_string_ostream os(text);
  diag::renderText(emitter.diagnostics(), sources, os);
  return os.str();
}

}  // namespace

llvm::Expected<plan::Plan> compileSuite(const std::string& text,
                                        const std::string& path,
                                        const lower::Options& options) {
  SourceFiles sources;
  FileId file = sources.add(path, text);
  diag::Emitter emitter;
  sema::Program program = sema::check(sources, file, sema::Options(), emitter);
  std::optional<plan::Plan> plan;
  if (!emitter.hasErrors()) plan = lower::lower(program, options, emitter);
  if (emitter.hasErrors() || !plan)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s",
                                   rendered(emitter, sources).c_str());
  return std::move(*plan);
}

ReplCompiler::ReplCompiler(const std::string& suite) {
  FileId file = sources_.add("t.rig", suite);
  diag::Emitter emitter;
  program_ = sema::check(sources_, file, sema::Options(), emitter);
  std::optional<plan::Plan> plan;
  if (!emitter.hasErrors())
    plan = lower::lower(program_, lower::Options(), emitter);
  if (plan) plan_ = std::move(*plan);
  if (emitter.hasErrors()) ADD_FAILURE() << rendered(emitter, sources_);
}

ReplCompiler::~ReplCompiler() = default;

std::vector<plan::Stmt> ReplCompiler::input(const std::string& text,
                                            plan::Plan& plan) {
  FileId file = sources_.add("<repl>", text);
  diag::Emitter emitter;
  inputs_.push_back(parse::parseStatements(file, sources_, emitter));
  if (!emitter.hasErrors())
    sema::checkStatements(program_, sources_, sema::Options(), inputs_.back(),
                          scope_, emitter);
  if (emitter.hasErrors()) {
    ADD_FAILURE() << rendered(emitter, sources_);
    return {};
  }
  return lower::lowerStatements(program_, inputs_.back(), file, plan);
}

}  // namespace rig::exec::testing
