#include "compiler/lint/lint.h"

#include <algorithm>

#include "compiler/lint/context.h"
#include "compiler/sema/sema.h"

namespace rig::lint {

std::vector<diag::Kind> lintKinds() {
  std::vector<diag::Kind> kinds;
#define RIG_LINT_RULE(Name, Function) kinds.push_back(diag::Kind::Name);
#include "compiler/lint/rules.def"
  return kinds;
}

void lintFile(const Input& input, const Options& options,
              diag::Emitter& emitter) {
  if (!input.suite || !input.sources) return;
  // Rules report into a scratch emitter with default severities; the
  // results are then sorted by position and re-emitted, so that the
  // configured severities apply and the output does not depend on the
  // order of rules.
  diag::Emitter scratch;
  Context ctx(input, options, scratch);
#define RIG_LINT_RULE(Name, Function)                                  \
  if (emitter.severityOf(diag::Kind::Name) != diag::Severity::Ignored) \
    Function(ctx);
#include "compiler/lint/rules.def"

  std::vector<const diag::Diagnostic*> found;
  for (const diag::Diagnostic& d : scratch.diagnostics()) found.push_back(&d);
  std::stable_sort(found.begin(), found.end(),
                   [](const diag::Diagnostic* a, const diag::Diagnostic* b) {
                     if (a->range.file != b->range.file)
                       return a->range.file < b->range.file;
                     if (a->range.begin != b->range.begin)
                       return a->range.begin < b->range.begin;
                     return a->kind < b->kind;
                   });
  for (const diag::Diagnostic* d : found) {
    diag::Diagnostic& out = emitter.emitMessage(d->range, d->kind, d->message);
    out.notes = d->notes;
    out.help = d->help;
  }
}

void lintProgram(const sema::Program& program, const SourceFiles& sources,
                 const Options& options, diag::Emitter& emitter) {
  Input input;
  const sema::SourceUnit& suite = program.suite();
  input.suite = &suite.ast;
  input.sources = &sources;
  for (const sema::SourceUnit* imported : suite.imports)
    input.imports.push_back(imported ? &imported->ast : nullptr);
  input.program = &program;
  lintFile(input, options, emitter);
}

}  // namespace rig::lint
