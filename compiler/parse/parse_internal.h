// Private to compiler/parse: the ANTLR-facing pieces shared by the transform
// files. Nothing declared here may appear in a header outside this folder.
#ifndef RIG_COMPILER_PARSE_PARSE_INTERNAL_H
#define RIG_COMPILER_PARSE_PARSE_INTERNAL_H

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"
#include "rig_antlr/RigLexer.h"
#include "rig_antlr/RigParser.h"

namespace rig::parse {

using rig_antlr::RigLexer;
using rig_antlr::RigParser;

// Limits that keep hostile input from exhausting the stack. The parser's
// rule depth is checked on every rule entry (RigParserGuarded); the AST
// transform checks its own recursion for long left-nested chains.
inline constexpr unsigned kMaxRuleDepth = 600;
inline constexpr unsigned kMaxAstDepth = 1000;
inline constexpr unsigned kMaxSyntaxErrors = 20;
inline constexpr unsigned kMaxLexicalErrors = 20;  // per kind

// Thrown (and caught in parse.cpp) when the rule depth limit is hit. Not a
// RecognitionException, so the generated rules do not try to recover.
struct NestingTooDeep {
  antlr4::Token* token;
};
// Thrown when kMaxSyntaxErrors have been reported.
struct TooManyErrors {};

// The source as ANTLR sees it: code points, with the byte offset of each one
// (offsets[i] = byte offset of code point i; offsets[size] = text size).
// Invalid UTF-8 bytes become U+FFFD, one per byte, and are reported.
class CodePointInput : public antlr4::ANTLRInputStream {
 public:
  CodePointInput(llvm::StringRef text, std::string name);
  const std::vector<uint32_t>& offsets() const { return offsets_; }
  // Byte ranges of invalid UTF-8 runs.
  const std::vector<std::pair<uint32_t, uint32_t>>& invalidRuns() const {
    return invalid_;
  }

 private:
  std::vector<uint32_t> offsets_;
  std::vector<std::pair<uint32_t, uint32_t>> invalid_;
};

// State shared by the error strategy and the transform: the file, the
// emitter and the token-to-byte mapping.
class ParseState {
 public:
  ParseState(FileId file, const SourceFiles& sources, diag::Emitter& emitter,
             const std::vector<uint32_t>& offsets)
      : file_(file), sources_(sources), emitter_(emitter), offsets_(offsets) {}

  FileId file() const { return file_; }
  const SourceFiles& sources() const { return sources_; }
  diag::Emitter& emitter() { return emitter_; }

  // Byte range of a token; an empty range at `fallback` for tokens conjured
  // by error recovery (they have no position).
  SourceRange range(const antlr4::Token* token) const;
  // Byte range from the rule's first token to its last; for a rule that
  // matched nothing, an empty range at its start.
  SourceRange range(const antlr4::ParserRuleContext* ctx) const;
  SourceRange range(antlr4::tree::TerminalNode* node) const {
    return node ? range(node->getSymbol()) : SourceRange{file_, 0, 0};
  }
  // Source text of a token (the original bytes, not ANTLR's re-encoding).
  llvm::StringRef text(const antlr4::Token* token) const;
  llvm::StringRef text(antlr4::tree::TerminalNode* node) const {
    return node ? text(node->getSymbol()) : llvm::StringRef();
  }
  std::string lineColText(uint32_t offset) const;

  // Deduplicates diagnostics that both the error strategy and the transform
  // could report (e.g. an unknown declaration word).
  bool firstReportAt(diag::Kind kind, uint32_t offset) {
    return reported_.insert({static_cast<int>(kind), offset}).second;
  }
  // Offsets where a syntax error was reported: the transform does not pile
  // a second error on the same token.
  void markSyntaxError(uint32_t offset) { syntaxErrors_.insert(offset); }
  bool hasSyntaxErrorAt(uint32_t offset) const {
    return syntaxErrors_.count(offset) != 0;
  }

 private:
  FileId file_;
  const SourceFiles& sources_;
  diag::Emitter& emitter_;
  const std::vector<uint32_t>& offsets_;
  std::set<std::pair<int, uint32_t>> reported_;
  std::set<uint32_t> syntaxErrors_;
};

// ---- Syntax errors (syntax_errors.cpp) ---------------------------------------

// Turns ANTLR's recognition errors into worded diagnostics.
class ErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  explicit ErrorStrategy(ParseState& state) : state_(state) {}
  // Set when the lexer hit the end of file inside a string: every error at
  // EOF is a consequence of the (already reported) unterminated string.
  void suppressAtEof() { suppressAtEof_ = true; }

 protected:
  void reportNoViableAlternative(
      antlr4::Parser* parser, const antlr4::NoViableAltException& e) override;
  void reportInputMismatch(antlr4::Parser* parser,
                           const antlr4::InputMismatchException& e) override;
  void reportFailedPredicate(
      antlr4::Parser* parser,
      const antlr4::FailedPredicateException& e) override;
  void reportUnwantedToken(antlr4::Parser* parser) override;
  void reportMissingToken(antlr4::Parser* parser) override;

 private:
  antlr4::Token* singleTokenDeletion(antlr4::Parser* parser) override;
  void sync(antlr4::Parser* parser) override;
  void reportExpected(antlr4::Parser* parser, antlr4::Token* offending,
                      const antlr4::misc::IntervalSet& expected,
                      bool extraneous = false);
  bool reportUnknownDeclaration(antlr4::Parser* parser);
  bool admit(antlr4::Token* offending);

  ParseState& state_;
  bool suppressAtEof_ = false;
  unsigned count_ = 0;
  std::set<size_t> reportedAt_;  // token indexes already reported
};

// A word for a token in a message: "`}`", "end of file", "a string".
std::string describeToken(ParseState& state, antlr4::Token* token,
                          bool article = true);
// `unknown declaration `nod``, with a "did you mean" when one is close.
void reportUnknownDeclarationAt(ParseState& state, SourceRange range,
                                llvm::StringRef word, bool assigned = false);

// Lexical checks over the whole token stream before parsing: unterminated
// strings, bad characters (hidden from the parser afterwards), invalid UTF-8.
// Returns true when the file ends inside a string.
bool checkTokens(ParseState& state, antlr4::CommonTokenStream& tokens,
                 const CodePointInput& input);

// ---- Transform: parse tree -> AST (transform_*.cpp) ---------------------------

class Transformer {
 public:
  explicit Transformer(ParseState& state) : state_(state) {}

  ast::File transformFile(RigParser::FileContext& ctx);

  // transform_decl.cpp
  void transformTopItem(RigParser::TopItemContext& ctx, ast::File& file);
  ast::Import transformImport(RigParser::ImportDeclContext& ctx);
  ast::Let transformLet(RigParser::LetDeclContext& ctx);
  ast::Fn transformFn(RigParser::FnDeclContext& ctx);
  ast::Module transformModule(RigParser::ModuleDeclContext& ctx);
  ast::Node transformNode(RigParser::NodeDeclContext& ctx);
  ast::Test transformTest(RigParser::TestDeclContext& ctx);
  bool transformMeta(RigParser::MetaDeclContext& ctx, ast::Meta& meta);
  ast::Item transformTopPrepare(RigParser::MetaDeclContext& ctx);

  // transform_body.cpp
  std::vector<ast::Item> transformBody(RigParser::BodyContext* ctx,
                                       bool inModule);
  bool transformBodyItem(RigParser::BodyItemContext& ctx, bool inModule,
                         ast::Item& item);

  // A bound name (let, fn, parameter, for): its text; a keyword there is
  // reported once with a suggested name (transform_decl.cpp). False when
  // recovery left the name out.
  bool bindName(RigParser::BindNameContext* ctx, std::string& name,
                SourceRange& range);

  // transform_stmt.cpp
  std::vector<ast::StmtPtr> transformBlock(RigParser::BlockContext* ctx);
  ast::StmtPtr transformStmt(RigParser::StmtContext& ctx);
  ast::StmtPtr transformIf(RigParser::IfStmtContext& ctx);

  // transform_expr.cpp
  ast::ExprPtr transformExpr(RigParser::ExprContext* ctx);
  std::vector<ast::Arg> transformArgs(RigParser::ArgsContext* ctx);
  ast::ExprPtr transformNumber(antlr4::Token* token);
  // A placeholder for a part that error recovery left out.
  ast::ExprPtr missingExpr(SourceRange at);

  // transform_string.cpp
  ast::ExprPtr transformString(RigParser::StringContext* ctx);
  // A string that must be plain (import path, test name): its decoded text;
  // reports `what` when it has interpolations.
  std::string plainString(RigParser::StringContext* ctx, const char* what,
                          SourceRange* range);

  ParseState& state() { return state_; }

 private:
  ast::ExprPtr transformExprInner(RigParser::ExprContext& ctx);
  ast::ExprPtr binary(RigParser::ExprContext& ctx, std::string op,
                      RigParser::ExprContext* lhs, RigParser::ExprContext* rhs);

  ParseState& state_;
  unsigned depth_ = 0;
  bool reportedDepth_ = false;
};

// Fills file.damaged from the syntax errors `emitter` holds for it
// (damage.cpp).
void markDamaged(ast::File& file, const SourceFiles& sources,
                 const diag::Emitter& emitter);

// Decoding of escapes, shared with tests (transform_string.cpp).
// Appends the decoded escape `raw` (starting with a backslash) to `out`;
// returns false (and appends `raw` verbatim) when it is not a known escape.
enum class EscapeResult { Ok, Unknown, BadUnicode };
EscapeResult decodeEscape(llvm::StringRef raw, std::string& out);

}  // namespace rig::parse

#endif
