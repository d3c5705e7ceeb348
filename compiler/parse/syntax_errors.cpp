// Syntax errors in words a user understands. ANTLR tells us the offending
// token and the set of tokens it expected; we name the set ("an
// expression", "a statement"), find the unclosed delimiter the user most
// likely forgot, and never print raw token sets.
#include <fmt/format.h>

#include "compiler/parse/parse_internal.h"

namespace rig::parse {

namespace {

using antlr4::Token;
using antlr4::misc::IntervalSet;

bool isCloser(size_t type) {
  return type == RigLexer::RBRACE || type == RigLexer::RPAREN ||
         type == RigLexer::RBRACK;
}

bool startsDeclaration(size_t type) {
  return type == RigLexer::NODE || type == RigLexer::TEST ||
         type == RigLexer::FN || type == RigLexer::MODULE ||
         type == RigLexer::IMPORT;
}

// Words that begin a declaration or a statement: found where a delimiter
// should have been closed, they mean the closer was forgotten.
bool startsItem(size_t type) {
  return startsDeclaration(type) || type == RigLexer::LET ||
         type == RigLexer::EXPECT || type == RigLexer::FOR ||
         type == RigLexer::SUBTEST || type == RigLexer::EVENTUALLY ||
         type == RigLexer::RETURN;
}

bool isKeyword(size_t type) {
  return type >= RigLexer::IMPORT && type <= RigLexer::NOT;
}

const size_t kExprStart[] = {
    RigLexer::NUMBER,   RigLexer::TRUE,      RigLexer::FALSE, RigLexer::NULL_,
    RigLexer::STR_OPEN, RigLexer::TSTR_OPEN, RigLexer::IDENT, RigLexer::LBRACK,
    RigLexer::LBRACE,   RigLexer::LPAREN,    RigLexer::MINUS, RigLexer::NOT,
    RigLexer::IF};
const size_t kStmtStart[] = {
    RigLexer::LET,        RigLexer::EXPECT, RigLexer::FOR, RigLexer::SUBTEST,
    RigLexer::EVENTUALLY, RigLexer::RETURN, RigLexer::SEMI};
const size_t kDeclStart[] = {RigLexer::IMPORT, RigLexer::LET,  RigLexer::FN,
                             RigLexer::MODULE, RigLexer::NODE, RigLexer::TEST,
                             RigLexer::IDENT,  RigLexer::SEMI, Token::EOF};
const size_t kBodyStart[] = {RigLexer::IDENT, RigLexer::USE, RigLexer::PARAM,
                             RigLexer::SEMI};
const size_t kOperators[] = {
    RigLexer::EQ,      RigLexer::NE,    RigLexer::LE,     RigLexer::GE,
    RigLexer::LT,      RigLexer::GT,    RigLexer::MATCH,  RigLexer::NOMATCH,
    RigLexer::PLUS,    RigLexer::MINUS, RigLexer::STAR,   RigLexer::SLASH,
    RigLexer::PERCENT, RigLexer::DOT,   RigLexer::LPAREN, RigLexer::LBRACK,
    RigLexer::AND,     RigLexer::OR,    RigLexer::NOT,    RigLexer::IN};

bool has(const IntervalSet& set, size_t type) {
  return set.contains(static_cast<ssize_t>(type));
}

template <size_t N>
void removeAll(IntervalSet& set, const size_t (&types)[N]) {
  for (size_t t : types) set.remove(static_cast<ssize_t>(t));
}

// "`=`" for literal tokens; a word for the others.
std::string tokenName(antlr4::Parser* parser, size_t type) {
  switch (type) {
    case Token::EOF: return "end of file";
    case RigLexer::IDENT: return "a name";
    case RigLexer::NUMBER: return "a number";
    case RigLexer::STR_OPEN:
    case RigLexer::TSTR_OPEN: return "a string";
    case RigLexer::STR_CLOSE: return "`\"`";
    case RigLexer::TSTR_CLOSE: return "`\"\"\"`";
    default: break;
  }
  const antlr4::dfa::Vocabulary& vocab = parser->getVocabulary();
  std::string literal = vocab.getLiteralName(type);
  if (literal.size() >= 2 && literal.front() == '\'')
    return fmt::format("`{}`", literal.substr(1, literal.size() - 2));
  return vocab.getDisplayName(type);
}

std::string joinOr(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

// The closer that matches an opener token.
size_t closerOf(size_t opener) {
  switch (opener) {
    case RigLexer::LPAREN: return RigLexer::RPAREN;
    case RigLexer::LBRACK: return RigLexer::RBRACK;
    default: return RigLexer::RBRACE;  // `{` and `${`
  }
}

bool isOpener(size_t type) {
  return type == RigLexer::LPAREN || type == RigLexer::LBRACK ||
         type == RigLexer::LBRACE || type == RigLexer::STR_INTERP ||
         type == RigLexer::TSTR_INTERP;
}

// The innermost delimiter still open before token `index`.
Token* innermostOpener(antlr4::TokenStream* tokens, size_t index) {
  std::vector<size_t> closers;  // pending closers seen walking backwards
  for (size_t i = index; i-- > 0;) {
    Token* t = tokens->get(i);
    if (t->getChannel() != Token::DEFAULT_CHANNEL) continue;
    size_t type = t->getType();
    if (isCloser(type)) {
      closers.push_back(type);
    } else if (isOpener(type)) {
      if (closers.empty()) return t;
      closers.pop_back();
    }
  }
  return nullptr;
}

Token* previousToken(antlr4::TokenStream* tokens, Token* token);

// What a delimiter opens, from the rule that holds it.
std::string nounFor(antlr4::Parser* parser, Token* opener) {
  // `f(x` / `xs[0`: when the call cannot be completed, ANTLR's prediction
  // may have read the `(` as the start of a new expression; the user meant
  // a call or an index when the `(`/`[` follows an operand on its line.
  if (opener->getType() == RigLexer::LPAREN ||
      opener->getType() == RigLexer::LBRACK) {
    Token* prev = previousToken(parser->getTokenStream(), opener);
    if (prev != nullptr && prev->getLine() == opener->getLine() &&
        (prev->getType() == RigLexer::IDENT ||
         prev->getType() == RigLexer::RPAREN ||
         prev->getType() == RigLexer::RBRACK ||
         prev->getType() == RigLexer::STR_CLOSE))
      return opener->getType() == RigLexer::LPAREN ? "argument list" : "index";
  }
  for (antlr4::ParserRuleContext* ctx = parser->getContext(); ctx != nullptr;
       ctx = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent)) {
    bool holds = false;
    for (antlr4::tree::ParseTree* child : ctx->children) {
      auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child);
      if (terminal && terminal->getSymbol() == opener) holds = true;
    }
    if (!holds) continue;
    auto* parent = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent);
    if (dynamic_cast<RigParser::BodyContext*>(ctx)) {
      if (dynamic_cast<RigParser::NodeDeclContext*>(parent)) return "node body";
      if (dynamic_cast<RigParser::ModuleDeclContext*>(parent))
        return "module body";
      if (auto* m = dynamic_cast<RigParser::MetaDeclContext*>(parent))
        return m->string() ? "`prepare` block" : "`meta` block";
      if (dynamic_cast<RigParser::UseItemContext*>(parent))
        return "`use` block";
      // A block item: name it by its word (`service`, `firewall`).
      for (auto* p = parent; p != nullptr;
           p = dynamic_cast<antlr4::ParserRuleContext*>(p->parent)) {
        if (auto* item = dynamic_cast<RigParser::AttrOrBlockContext*>(p)) {
          if (item->IDENT())
            return fmt::format("`{}` block", item->IDENT()->getText());
          break;
        }
      }
      return "block";
    }
    if (dynamic_cast<RigParser::BlockContext*>(ctx)) {
      if (dynamic_cast<RigParser::TestDeclContext*>(parent)) return "test body";
      if (dynamic_cast<RigParser::FnDeclContext*>(parent))
        return "function body";
      if (dynamic_cast<RigParser::IfStmtContext*>(parent)) return "`if` block";
      if (dynamic_cast<RigParser::ForStmtContext*>(parent))
        return "`for` block";
      if (dynamic_cast<RigParser::SubtestStmtContext*>(parent))
        return "subtest body";
      if (dynamic_cast<RigParser::EventuallyStmtContext*>(parent))
        return "`eventually` block";
      if (dynamic_cast<RigParser::BranchContext*>(parent)) return "branch";
      return "block";
    }
    if (dynamic_cast<RigParser::ParallelStmtContext*>(ctx))
      return "`parallel` block";
    if (dynamic_cast<RigParser::FnDeclContext*>(ctx)) return "parameter list";
    if (dynamic_cast<RigParser::ListExprContext*>(ctx) ||
        dynamic_cast<RigParser::ListForExprContext*>(ctx))
      return "list";
    if (dynamic_cast<RigParser::ObjectExprContext*>(ctx)) return "object";
    if (dynamic_cast<RigParser::CallExprContext*>(ctx)) return "argument list";
    if (dynamic_cast<RigParser::IndexExprContext*>(ctx)) return "index";
    if (dynamic_cast<RigParser::ParenExprContext*>(ctx)) return "parentheses";
    if (dynamic_cast<RigParser::StringPartContext*>(ctx) ||
        dynamic_cast<RigParser::TstringPartContext*>(ctx))
      return "interpolation";
    break;
  }
  switch (opener->getType()) {
    case RigLexer::LPAREN: return "parentheses";
    case RigLexer::LBRACK: return "brackets";
    case RigLexer::STR_INTERP:
    case RigLexer::TSTR_INTERP: return "interpolation";
    default: return "block";
  }
}

Token* previousToken(antlr4::TokenStream* tokens, Token* token) {
  for (size_t i = token->getTokenIndex(); i-- > 0;) {
    Token* t = tokens->get(i);
    if (t->getChannel() == Token::DEFAULT_CHANNEL) return t;
  }
  return nullptr;
}

}  // namespace

std::string describeToken(ParseState& state, Token* token, bool article) {
  switch (token->getType()) {
    case Token::EOF: return "end of file";
    case RigLexer::STR_OPEN:
    case RigLexer::TSTR_OPEN: return article ? "a string" : "string";
    case RigLexer::STR_NEWLINE:
      return article ? "the end of the line" : "end of line";
    default: break;
  }
  std::string text = state.text(token).str();
  if (text.size() > 32) text = text.substr(0, 29) + "...";
  return fmt::format("`{}`", text);
}

// `nod server { ... }`: a word at the top level that is not a declaration
// (the grammar reads it as the start of `meta { ... }`).
bool ErrorStrategy::reportUnknownDeclaration(antlr4::Parser* parser) {
  for (auto* ctx = parser->getContext(); ctx != nullptr;
       ctx = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent)) {
    auto* meta = dynamic_cast<RigParser::MetaDeclContext*>(ctx);
    if (meta == nullptr) continue;
    llvm::StringRef word = state_.text(meta->start);
    if (word == "meta" || word == "prepare" ||
        meta->start->getType() != RigLexer::IDENT)
      return false;
    SourceRange r = state_.range(meta->start);
    if (!state_.hasSyntaxErrorAt(r.begin) &&
        state_.firstReportAt(diag::Kind::UnknownDeclaration, r.begin)) {
      Token* next =
          parser->getTokenStream()->get(meta->start->getTokenIndex() + 1);
      while (next->getChannel() != Token::DEFAULT_CHANNEL)
        next = parser->getTokenStream()->get(next->getTokenIndex() + 1);
      reportUnknownDeclarationAt(state_, r, word,
                                 next->getType() == RigLexer::ASSIGN);
    }
    return true;
  }
  return false;
}

void reportUnknownDeclarationAt(ParseState& state, SourceRange r,
                                llvm::StringRef word, bool assigned) {
  static const llvm::StringRef kWords[] = {"import", "let",  "fn",   "module",
                                           "node",   "test", "meta", "prepare"};
  std::string close = diag::closestMatch(word, kWords);
  std::string help =
      assigned ? fmt::format(
                     "a constant is `let {} = ...`; suite settings go "
                     "in `meta {{ ... }}`",
                     word)
      : close.empty() ? "a file holds `import`, `let`, `fn`, `module`, `node`, "
                        "`test`, `meta` and `prepare` declarations"
                      : fmt::format("did you mean `{}`?", close);
  state.emitter()
      .emit(r, diag::Kind::UnknownDeclaration, word.str())
      .withHelp(help);
}

Token* ErrorStrategy::singleTokenDeletion(antlr4::Parser* parser) {
  // Keywords carry structure: deleting `let` to read `let x =\nlet y = 2` as
  // `x = y` hides the real mistake. `else` and `then` stray alone, though.
  size_t type = parser->getInputStream()->LA(1);
  if (isKeyword(type) && type != RigLexer::ELSE && type != RigLexer::THEN)
    return nullptr;
  return DefaultErrorStrategy::singleTokenDeletion(parser);
}

// Inside node bodies and statement blocks a bad item is skipped up to the
// next line (or the closing `}`), and parsing goes on inside the same body.
// ANTLR's own recovery would leave the body at the first bad item and parse
// the rest of it as top-level declarations, one confusing error per line.
void ErrorStrategy::sync(antlr4::Parser* parser) {
  antlr4::ParserRuleContext* ctx = parser->getContext();
  bool inBody = dynamic_cast<RigParser::BodyContext*>(ctx) != nullptr ||
                dynamic_cast<RigParser::BlockContext*>(ctx) != nullptr;
  if (!inBody || inErrorRecoveryMode(parser))
    return DefaultErrorStrategy::sync(parser);
  antlr4::TokenStream* tokens = parser->getTokenStream();
  Token* token = tokens->LT(1);
  size_t type = token->getType();
  IntervalSet expecting = parser->getExpectedTokens();
  if (type == Token::EOF || startsDeclaration(type) || has(expecting, type))
    return DefaultErrorStrategy::sync(parser);
  // One stray token followed by a good one: drop it (`unexpected `)``).
  bool strayWord = type == RigLexer::ELSE || type == RigLexer::THEN;
  if ((!isKeyword(type) || strayWord) && has(expecting, tokens->LA(2)))
    return DefaultErrorStrategy::sync(parser);
  if (strayWord) return DefaultErrorStrategy::sync(parser);

  beginErrorCondition(parser);
  reportExpected(parser, token, expecting);
  int depth = 0;
  bool first = true;
  while (type != Token::EOF) {
    if (depth == 0) {
      if (type == RigLexer::RBRACE) break;
      if (startsDeclaration(type)) break;
      Token* prev = previousToken(tokens, token);
      bool lineStart = prev == nullptr || prev->getLine() < token->getLine();
      if (!first && lineStart && has(expecting, type)) break;
    }
    if (isOpener(type)) ++depth;
    if (isCloser(type) && depth > 0) --depth;
    parser->consume();
    first = false;
    token = tokens->LT(1);
    type = token->getType();
  }
}

bool ErrorStrategy::admit(Token* offending) {
  if (suppressAtEof_ && offending->getType() == Token::EOF) return false;
  state_.markSyntaxError(state_.range(offending).begin);
  if (!reportedAt_.insert(offending->getTokenIndex()).second) return false;
  if (++count_ > kMaxSyntaxErrors) throw TooManyErrors{};
  return true;
}

void ErrorStrategy::reportExpected(antlr4::Parser* parser, Token* offending,
                                   const IntervalSet& expectedIn,
                                   bool extraneous) {
  if (!admit(offending)) return;
  diag::Emitter& emitter = state_.emitter();
  SourceRange at = state_.range(offending);
  std::string found = describeToken(state_, offending);
  size_t type = offending->getType();
  antlr4::TokenStream* tokens = parser->getTokenStream();
  Token* prev = previousToken(tokens, offending);

  if (reportUnknownDeclaration(parser)) return;

  IntervalSet expected = expectedIn;
  // `-=` (dropping list items) is rare: where `=` fits, say only `=`.
  if (has(expected, RigLexer::ASSIGN))
    expected.remove(static_cast<ssize_t>(RigLexer::DROP_ASSIGN));
  // After `.` or as an object key, keywords are names too: say "a name".
  if (has(expected, RigLexer::IDENT) && has(expected, RigLexer::IMPORT) &&
      has(expected, RigLexer::AS))
    for (size_t k = RigLexer::IMPORT; k <= RigLexer::NOT; ++k)
      expected.remove(static_cast<ssize_t>(k));
  bool exprs =
      has(expected, RigLexer::NUMBER) && has(expected, RigLexer::LBRACK);
  bool stmts = has(expected, RigLexer::LET) && has(expected, RigLexer::EXPECT);
  bool decls = has(expected, RigLexer::NODE) && has(expected, RigLexer::TEST);
  bool items = has(expected, RigLexer::USE);
  bool operators =
      has(expected, RigLexer::PLUS) && has(expected, RigLexer::STAR);

  // A delimiter the user most likely forgot to close.
  Token* opener = innermostOpener(tokens, offending->getTokenIndex());
  if (opener != nullptr && expected.contains(closerOf(opener->getType())) &&
      (type == Token::EOF ||
       ((opener->getType() == RigLexer::LBRACE ? startsDeclaration(type)
                                               : startsItem(type)) &&
        !has(expected, type)) ||
       // a `(` or `[` left open on the line before the unexpected token
       (prev != nullptr && offending->getLine() > prev->getLine() &&
        opener->getType() != RigLexer::LBRACE && !has(expected, type)) ||
       ((opener->getType() == RigLexer::STR_INTERP ||
         opener->getType() == RigLexer::TSTR_INTERP) &&
        !has(expected, type)) ||
       (isCloser(type) && !has(expected, type)))) {
    std::string closer = tokenName(parser, closerOf(opener->getType()));
    emitter.emit(at, diag::Kind::UnclosedDelimiter,
                 closer.substr(1, closer.size() - 2), nounFor(parser, opener),
                 state_.lineColText(state_.range(opener).begin), found);
    return;
  }

  if (extraneous) {
    auto& d = emitter.emit(at, diag::Kind::UnexpectedToken,
                           describeToken(state_, offending, false));
    if (type == RigLexer::ELSE)
      d.withHelp("`else` must follow the `}` of an `if` block");
    return;
  }
  if (exprs && !stmts && !decls && !items && prev != nullptr) {
    emitter.emit(at, diag::Kind::ExpectedExpression,
                 describeToken(state_, prev), found);
    return;
  }
  if (isCloser(type) || startsDeclaration(type)) {
    emitter.emit(at, diag::Kind::UnexpectedToken,
                 describeToken(state_, offending, false));
    return;
  }

  std::vector<std::string> phrases;
  if (decls) {
    phrases.push_back("a declaration");
    removeAll(expected, kDeclStart);
  }
  if (stmts) {
    phrases.push_back("a statement");
    removeAll(expected, kStmtStart);
    removeAll(expected, kExprStart);
  }
  if (items) {
    phrases.push_back("an attribute");
    phrases.push_back("a block");
    removeAll(expected, kBodyStart);
  }
  if (exprs && !stmts) {
    phrases.push_back("an expression");
    removeAll(expected, kExprStart);
  }
  if (operators) {
    phrases.push_back("an operator");
    removeAll(expected, kOperators);
  }
  std::vector<std::string> rest;
  for (ssize_t t : expected.toList()) {
    if (t == RigLexer::STR_OPEN && has(expected, RigLexer::TSTR_OPEN)) continue;
    rest.push_back(tokenName(parser, t));
  }
  if (rest.size() <= 4) phrases.insert(phrases.end(), rest.begin(), rest.end());
  if (phrases.empty() || phrases.size() > 5) {
    emitter.emit(at, diag::Kind::UnexpectedToken,
                 describeToken(state_, offending, false));
    return;
  }
  std::string message = "expected " + joinOr(phrases);
  if (prev != nullptr && phrases.size() <= 3 &&
      (isKeyword(prev->getType()) || prev->getType() == RigLexer::IDENT ||
       prev->getType() == RigLexer::ASSIGN))
    message += fmt::format(" after {}", describeToken(state_, prev));
  message += fmt::format(", found {}", found);
  emitter.emit(at, diag::Kind::SyntaxError, message);
}

void ErrorStrategy::reportNoViableAlternative(
    antlr4::Parser* parser, const antlr4::NoViableAltException& e) {
  reportExpected(parser, e.getOffendingToken(), e.getExpectedTokens());
}

void ErrorStrategy::reportInputMismatch(
    antlr4::Parser* parser, const antlr4::InputMismatchException& e) {
  reportExpected(parser, e.getOffendingToken(), e.getExpectedTokens());
}

void ErrorStrategy::reportFailedPredicate(
    antlr4::Parser* parser, const antlr4::FailedPredicateException& e) {
  Token* offending = e.getOffendingToken();
  if (!admit(offending)) return;
  state_.emitter().emit(state_.range(offending), diag::Kind::UnexpectedToken,
                        describeToken(state_, offending));
}

void ErrorStrategy::reportUnwantedToken(antlr4::Parser* parser) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  reportExpected(parser, parser->getCurrentToken(), parser->getExpectedTokens(),
                 /*extraneous=*/true);
}

void ErrorStrategy::reportMissingToken(antlr4::Parser* parser) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  reportExpected(parser, parser->getCurrentToken(),
                 parser->getExpectedTokens());
}

}  // namespace rig::parse
