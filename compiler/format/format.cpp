#include "compiler/format/format.h"

#include "compiler/ast/ast.h"
#include "compiler/diag/render.h"
#include "compiler/format/layout.h"
#include "compiler/format/structure.h"
#include "compiler/parse/parse.h"
#include "compiler/parse/tokens.h"

namespace rig::format {

std::string meaning(llvm::StringRef path, llvm::StringRef text,
                    std::string* errors) {
  SourceFiles sources;
  FileId file = sources.add(path.str(), text.str());
  diag::Emitter emitter;
  ast::File ast = parse::parseFile(file, sources, emitter);
  if (emitter.hasErrors()) {
    if (errors) {
      llvm::raw_string_ostream os(*errors);
      diag::renderText(emitter.diagnostics(), sources, os);
    }
    return "";
  }
  std::string out;
  llvm::raw_string_ostream os(out);
  ast::dumpWithoutRanges(ast, sources, os);
  return out;
}

Result formatFile(FileId file, const SourceFiles& sources,
                  diag::Emitter& emitter, const Options& options) {
  Result result;
  diag::Emitter local;
  ast::File ast = parse::parseFile(file, sources, local);
  if (local.hasErrors()) {
    for (const diag::Diagnostic& d : local.diagnostics()) {
      diag::Diagnostic& out = emitter.emitMessage(d.range, d.kind, d.message);
      out.notes = d.notes;
      out.help = d.help;
    }
    result.outcome = Outcome::SyntaxErrors;
    return result;
  }
  llvm::StringRef text = sources.text(file);
  std::vector<parse::Token> tokens = parse::lexTokens(file, sources);
  if (!layout(text, tokens, structureOf(ast), options, result.text,
              result.problem)) {
    result.outcome = Outcome::Unsafe;
    return result;
  }
  // The guarantee: the output means what the input meant.
  std::string before;
  llvm::raw_string_ostream beforeOs(before);
  ast::dumpWithoutRanges(ast, sources, beforeOs);
  std::string errors;
  std::string after = meaning(sources.path(file), result.text, &errors);
  if (after != before) {
    result.outcome = Outcome::Unsafe;
    result.problem = errors.empty()
                         ? "the formatted text has a different syntax tree"
                         : "the formatted text does not parse:\n" + errors;
  }
  return result;
}

Result formatText(llvm::StringRef path, llvm::StringRef text,
                  const Options& options) {
  SourceFiles sources;
  FileId file = sources.add(path.str(), text.str());
  diag::Emitter emitter;
  return formatFile(file, sources, emitter, options);
}

}  // namespace rig::format
