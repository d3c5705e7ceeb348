// Phase entry: lex, check, parse (on a thread with a large stack), transform.
#include "compiler/parse/parse.h"

#include <algorithm>
#include "compiler/parse/parse_internal.h"
#include "compiler/parse/tokens.h"

#include "llvm/Support/thread.h"

namespace rig::parse {

namespace {

// Lexer whose popMode is safe on an empty mode stack: an unbalanced `}`
// stays an RBRACE token (the parser reports "unexpected `}`").
//
// "..." strings are one line long, interpolations included: a line break
// anywhere inside one (in its text or in a `${...}`) ends it and every "..."
// string and interpolation around it, up to the nearest triple-quoted string
// or the top level. So `"--port ${port"` is one unterminated string and an
// unclosed interpolation, and the next line lexes as code again.
class Lexer final : public RigLexer {
 public:
  using RigLexer::RigLexer;
  size_t popMode() override {
    if (modeStack.empty()) return mode;
    return RigLexer::popMode();
  }
  std::unique_ptr<antlr4::Token> nextToken() override {
    std::unique_ptr<antlr4::Token> token = RigLexer::nextToken();
    if (token->getType() == NEWLINE && insideLineString()) {
      auto* t = static_cast<antlr4::CommonToken*>(token.get());
      t->setType(STR_NEWLINE);
      t->setChannel(antlr4::Token::DEFAULT_CHANNEL);
    }
    if (token->getType() == STR_NEWLINE)
      while (insideLineString()) popMode();
    return token;
  }

 private:
  // Inside a "..." string (or an interpolation or braces within one) that is
  // not itself inside a triple-quoted string's interpolation.
  bool insideLineString() const {
    if (mode == STRING || mode == RSTRING) return true;
    if (mode == TSTRING || mode == RTSTRING) return false;
    for (auto it = modeStack.rbegin(); it != modeStack.rend(); ++it) {
      if (*it == STRING || *it == RSTRING) return true;
      if (*it == TSTRING || *it == RTSTRING) return false;
    }
    return false;
  }
};

// Parser that refuses to recurse deeper than kMaxRuleDepth rules, so that
// `[[[[...` a hundred thousand deep ends in a diagnostic, not a stack
// overflow. Depth is counted by walking the context chain, bounded by the
// limit, so it costs little at ordinary depths.
class GuardedParser final : public RigParser {
 public:
  using RigParser::RigParser;
  void enterRule(antlr4::ParserRuleContext* ctx, size_t state,
                 size_t rule) override {
    check(ctx);
    RigParser::enterRule(ctx, state, rule);
  }
  void enterRecursionRule(antlr4::ParserRuleContext* ctx, size_t state,
                          size_t rule, int precedence) override {
    check(ctx);
    RigParser::enterRecursionRule(ctx, state, rule, precedence);
  }

 private:
  void check(antlr4::ParserRuleContext* ctx) {
    unsigned depth = 0;
    for (antlr4::tree::ParseTree* p = ctx; p != nullptr; p = p->parent)
      if (++depth > kMaxRuleDepth) throw NestingTooDeep{getCurrentToken()};
  }
};

// How many delimiters are open before token `index` (for the message).
unsigned openDelimiters(antlr4::CommonTokenStream& tokens, size_t index) {
  unsigned depth = 0;
  for (size_t i = 0; i < index; ++i) {
    antlr4::Token* t = tokens.get(i);
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    switch (t->getType()) {
      case RigLexer::LPAREN:
      case RigLexer::LBRACK:
      case RigLexer::LBRACE:
      case RigLexer::STR_INTERP:
      case RigLexer::TSTR_INTERP: ++depth; break;
      case RigLexer::RPAREN:
      case RigLexer::RBRACK:
      case RigLexer::RBRACE:
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return depth;
}

// The stack of the parsing thread: deep enough for kMaxRuleDepth rules even
// in sanitizer builds, whatever the caller's thread has.
constexpr unsigned kParseStackBytes = 64u << 20;

// Parses with the entry rule `entry` (RigParser::file or ::replInput) and
// hands the tree to `transform`.
template <typename Context, typename Transform>
void parseOnThisThread(FileId file, const SourceFiles& sources,
                       diag::Emitter& emitter, Context* (RigParser::*entry)(),
                       Transform transform) {
  CodePointInput input(sources.text(file), sources.path(file).str());
  Lexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();

  ParseState state(file, sources, emitter, input.offsets());
  bool endsInString = checkTokens(state, tokens, input);
  tokens.seek(0);  // checkTokens may have hidden the first token

  GuardedParser parser(&tokens);
  parser.removeErrorListeners();

  // Two stages, as ANTLR's authors recommend: SLL prediction is much faster
  // and right for every valid input; on the first syntax error it bails out
  // and the file is parsed again with full LL and our recovering error
  // strategy, which produces the diagnostics.
  Context* tree = nullptr;
  try {
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    tree = (parser.*entry)();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  } catch (const NestingTooDeep& e) {
    emitter.emit(state.range(e.token), diag::Kind::NestingTooDeep,
                 openDelimiters(tokens, e.token->getTokenIndex()));
    return;
  }
  if (tree != nullptr) {
    Transformer transformer(state);
    transform(transformer, *tree);
    return;
  }

  tokens.seek(0);
  parser.reset();
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::LL);
  auto strategy = std::make_shared<ErrorStrategy>(state);
  if (endsInString) strategy->suppressAtEof();
  parser.setErrorHandler(strategy);

  try {
    tree = (parser.*entry)();
  } catch (const NestingTooDeep& e) {
    emitter.emit(state.range(e.token), diag::Kind::NestingTooDeep,
                 openDelimiters(tokens, e.token->getTokenIndex()));
    return;
  } catch (const TooManyErrors&) {
    emitter.emit(state.range(parser.getCurrentToken()),
                 diag::Kind::TooManySyntaxErrors);
    return;
  }
  Transformer transformer(state);
  transform(transformer, *tree);
}

// Runs `parse` on a thread with a big stack, then hands its diagnostics to
// `emitter`: lexical checks run before parsing and the transform after it,
// so they are put in source order.
template <typename Parse>
void parseWithBigStack(diag::Emitter& emitter, Parse parse) {
  diag::Emitter local;
  llvm::thread worker(llvm::Optional<unsigned>(kParseStackBytes),
                      [&] { parse(local); });
  worker.join();
  std::vector<const diag::Diagnostic*> sorted;
  for (const diag::Diagnostic& d : local.diagnostics()) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const diag::Diagnostic* a, const diag::Diagnostic* b) {
                     return a->range.begin < b->range.begin;
                   });
  for (const diag::Diagnostic* d : sorted) {
    diag::Diagnostic& out = emitter.emitMessage(d->range, d->kind, d->message);
    out.notes = d->notes;
    out.help = d->help;
  }
}

}  // namespace

ast::File parseFile(FileId file, const SourceFiles& sources,
                    diag::Emitter& emitter) {
  ast::File result;
  parseWithBigStack(emitter, [&](diag::Emitter& local) {
    parseOnThisThread(file, sources, local, &RigParser::file,
                      [&](Transformer& t, RigParser::FileContext& tree) {
                        result = t.transformFile(tree);
                      });
    result.file = file;
    markDamaged(result, sources, local);
  });
  result.file = file;
  return result;
}

std::vector<ast::StmtPtr> parseStatements(FileId file,
                                          const SourceFiles& sources,
                                          diag::Emitter& emitter) {
  std::vector<ast::StmtPtr> result;
  parseWithBigStack(emitter, [&](diag::Emitter& local) {
    parseOnThisThread(file, sources, local, &RigParser::replInput,
                      [&](Transformer& t, RigParser::ReplInputContext& tree) {
                        for (RigParser::StmtContext* c : tree.stmt())
                          if (c)
                            if (ast::StmtPtr stmt = t.transformStmt(*c))
                              result.push_back(std::move(stmt));
                      });
  });
  return result;
}

namespace {

TokenKind kindOf(size_t type) {
  switch (type) {
    case RigLexer::IDENT: return TokenKind::Ident;
    case RigLexer::NUMBER: return TokenKind::Number;
    case RigLexer::COMMENT: return TokenKind::Comment;
    case RigLexer::ERROR_CHAR: return TokenKind::Error;
    default: break;
  }
  if (type >= RigLexer::IMPORT && type <= RigLexer::NOT)
    return TokenKind::Keyword;
  return TokenKind::Punct;
}

}  // namespace

std::vector<Token> lexTokens(FileId file, const SourceFiles& sources) {
  CodePointInput input(sources.text(file), sources.path(file).str());
  Lexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  const std::vector<uint32_t>& offsets = input.offsets();
  auto byteAt = [&](size_t codePoint) {
    return offsets[std::min(codePoint, offsets.size() - 1)];
  };
  std::vector<Token> out;
  // Open strings and the braces/interpolations inside them: a string
  // literal is one token until this stack empties again.
  std::vector<size_t> strings;
  uint32_t stringBegin = 0;
  for (antlr4::Token* t : tokens.getTokens()) {
    size_t type = t->getType();
    if (type == antlr4::Token::EOF) break;
    if (t->getStartIndex() > t->getStopIndex() + 1) continue;
    uint32_t begin = byteAt(t->getStartIndex());
    uint32_t end = byteAt(t->getStopIndex() + 1);
    if (type == RigLexer::NEWLINE || type == RigLexer::WS) continue;
    bool opens = type == RigLexer::STR_OPEN || type == RigLexer::TSTR_OPEN;
    if (strings.empty() && !opens) {
      out.push_back({kindOf(type), {file, begin, end}});
      continue;
    }
    if (strings.empty()) stringBegin = begin;
    switch (type) {
      case RigLexer::STR_OPEN:
      case RigLexer::TSTR_OPEN:
      case RigLexer::STR_INTERP:
      case RigLexer::TSTR_INTERP:
      case RigLexer::LBRACE: strings.push_back(type); break;
      case RigLexer::STR_CLOSE:
      case RigLexer::TSTR_CLOSE:
      case RigLexer::RBRACE: strings.pop_back(); break;
      case RigLexer::STR_NEWLINE:
        // Ends every "..." string and interpolation around it (the lexer
        // subclass does the same), up to a triple-quoted string.
        while (!strings.empty() && strings.back() != RigLexer::TSTR_OPEN &&
               strings.back() != RigLexer::TSTR_INTERP)
          strings.pop_back();
        end = begin;  // the line break is not part of the string
        break;
      default: break;
    }
    if (strings.empty())
      out.push_back({TokenKind::String, {file, stringBegin, end}});
  }
  if (!strings.empty())
    out.push_back({TokenKind::String,
                   {file, stringBegin,
                    static_cast<uint32_t>(sources.text(file).size())}});
  return out;
}

}  // namespace rig::parse
