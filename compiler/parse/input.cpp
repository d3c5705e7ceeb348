// The source as ANTLR sees it, the token -> byte mapping, and the lexical
// checks made over the token stream before parsing.
#include <fmt/format.h>

#include "compiler/parse/parse_internal.h"
#include "llvm/Support/ConvertUTF.h"

namespace rig::parse {

CodePointInput::CodePointInput(llvm::StringRef text, std::string name) {
  this->name = std::move(name);
  _data.clear();
  _data.reserve(text.size());
  offsets_.reserve(text.size() + 1);
  const auto* bytes = reinterpret_cast<const llvm::UTF8*>(text.data());
  size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    unsigned len = llvm::getNumBytesForUTF8(bytes[i]);
    bool ok = i + len <= size &&
              llvm::isLegalUTF8Sequence(bytes + i, bytes + i + len);
    offsets_.push_back(static_cast<uint32_t>(i));
    if (!ok) {
      _data.push_back(0xFFFD);
      if (!invalid_.empty() && invalid_.back().second == i)
        invalid_.back().second = static_cast<uint32_t>(i + 1);
      else
        invalid_.push_back(
            {static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
      ++i;
      continue;
    }
    uint32_t cp = 0;
    switch (len) {
      case 1: cp = bytes[i]; break;
      case 2: cp = ((bytes[i] & 0x1F) << 6) | (bytes[i + 1] & 0x3F); break;
      case 3:
        cp = ((bytes[i] & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) |
             (bytes[i + 2] & 0x3F);
        break;
      default:
        cp = ((bytes[i] & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12) |
             ((bytes[i + 2] & 0x3F) << 6) | (bytes[i + 3] & 0x3F);
        break;
    }
    _data.push_back(static_cast<char32_t>(cp));
    i += len;
  }
  offsets_.push_back(static_cast<uint32_t>(size));
  p = 0;
}

SourceRange ParseState::range(const antlr4::Token* token) const {
  if (token == nullptr) return {file_, 0, 0};
  size_t start = token->getStartIndex();
  size_t stop = token->getStopIndex();
  size_t n = offsets_.size() - 1;
  if (start == INVALID_INDEX || start > n) {
    // Conjured by error recovery: no position of its own.
    return {file_, offsets_[n], offsets_[n]};
  }
  if (stop == INVALID_INDEX || stop + 1 < start || stop >= n)
    return {file_, offsets_[start], offsets_[start]};
  return {file_, offsets_[start], offsets_[stop + 1]};
}

SourceRange ParseState::range(const antlr4::ParserRuleContext* ctx) const {
  if (ctx == nullptr) return {file_, 0, 0};
  SourceRange begin = range(ctx->start);
  if (ctx->stop == nullptr ||
      ctx->stop->getTokenIndex() < ctx->start->getTokenIndex())
    return {file_, begin.begin, begin.begin};
  SourceRange end = range(ctx->stop);
  if (end.end < begin.begin) return {file_, begin.begin, begin.begin};
  return {file_, begin.begin, end.end};
}

llvm::StringRef ParseState::text(const antlr4::Token* token) const {
  return sources_.slice(range(token));
}

std::string ParseState::lineColText(uint32_t offset) const {
  LineCol lc = sources_.lineCol(file_, offset);
  return fmt::format("{}:{}", lc.line, lc.col);
}

namespace {

std::string describeChar(llvm::StringRef bytes) {
  if (bytes.size() == 1 && bytes[0] > 0x20 && bytes[0] < 0x7F)
    return fmt::format("`{}`", bytes);
  // Control characters and the like: show the code point.
  uint32_t cp = 0;
  const auto* p = reinterpret_cast<const llvm::UTF8*>(bytes.data());
  llvm::UTF32 out[1];
  llvm::UTF32* outp = out;
  if (llvm::ConvertUTF8toUTF32(&p, p + bytes.size(), &outp, out + 1,
                               llvm::strictConversion) == llvm::conversionOK)
    cp = out[0];
  if (cp > 0x7F && cp != 0xFFFD && cp < 0x110000 && !(cp >= 0x80 && cp < 0xA0))
    return fmt::format("`{}` (U+{:04X})", bytes, cp);
  return fmt::format("U+{:04X}", cp);
}

}  // namespace

bool checkTokens(ParseState& state, antlr4::CommonTokenStream& tokens,
                 const CodePointInput& input) {
  // A binary file would give one error per byte: report the first few.
  unsigned invalidReported = 0, badCharsReported = 0;
  for (auto [begin, end] : input.invalidRuns()) {
    if (++invalidReported > kMaxLexicalErrors) break;
    state.emitter()
        .emit({state.file(), begin, end}, diag::Kind::InvalidUtf8)
        .withHelp("rig files are UTF-8; re-encode the file");
  }

  // Open strings and interpolations, innermost last, to find where an
  // unterminated string started.
  struct Open {
    size_t type;
    antlr4::Token* token;
  };
  std::vector<Open> open;
  bool endsInString = false;
  uint32_t lastUnterminated = 0;  // a string inside it was reported already
  unsigned unterminatedReported = 0;
  for (antlr4::Token* t : tokens.getTokens()) {
    switch (t->getType()) {
      case RigLexer::STR_OPEN:
      case RigLexer::TSTR_OPEN:
      case RigLexer::STR_INTERP:
      case RigLexer::TSTR_INTERP:
      case RigLexer::LBRACE: open.push_back({t->getType(), t}); break;
      case RigLexer::RBRACE:
        if (!open.empty() && (open.back().type == RigLexer::LBRACE ||
                              open.back().type == RigLexer::STR_INTERP ||
                              open.back().type == RigLexer::TSTR_INTERP))
          open.pop_back();
        break;
      case RigLexer::STR_CLOSE:
      case RigLexer::TSTR_CLOSE:
        if (!open.empty()) open.pop_back();
        break;
      case RigLexer::STR_NEWLINE: {
        // The line break ends every "..." string and interpolation up to
        // the nearest triple-quoted string (as the lexer does); report the
        // outermost of them, where the user's string began.
        const antlr4::Token* outer = nullptr;
        while (!open.empty() && open.back().type != RigLexer::TSTR_OPEN &&
               open.back().type != RigLexer::TSTR_INTERP) {
          bool lineString = open.back().type == RigLexer::STR_OPEN;
          const antlr4::Token* token = open.back().token;
          open.pop_back();
          if (lineString) outer = token;
          bool more = false;
          for (const Open& o : open) {
            if (o.type == RigLexer::STR_OPEN) more = true;
            if (o.type == RigLexer::TSTR_OPEN ||
                o.type == RigLexer::TSTR_INTERP)
              more = false;
          }
          if (!more) break;
        }
        SourceRange at = state.range(outer ? outer : t);
        SourceRange nl = state.range(t);
        lastUnterminated = at.begin;
        if (++unterminatedReported <= kMaxLexicalErrors)
          state.emitter()
              .emit({state.file(), at.begin, nl.begin},
                    diag::Kind::UnterminatedString)
              .withHelp(
                  "close it with `\"` before the end of the line, or use "
                  "`\"\"\"` for a string that spans lines");
        break;
      }
      case RigLexer::ERROR_CHAR: {
        SourceRange r = state.range(t);
        llvm::StringRef bytes = state.sources().slice(r);
        // Invalid UTF-8 was reported above.
        const auto* begin = reinterpret_cast<const llvm::UTF8*>(bytes.data());
        if (!bytes.empty() && ++badCharsReported <= kMaxLexicalErrors &&
            llvm::isLegalUTF8String(
                &begin, reinterpret_cast<const llvm::UTF8*>(bytes.end()))) {
          auto& d = state.emitter().emit(r, diag::Kind::UnexpectedCharacter,
                                         describeChar(bytes));
          if (bytes == "!") d.withHelp("use `not` for negation");
          if (bytes == "&") d.withHelp("use `and`");
          if (bytes == "|") d.withHelp("use `or`");
          if (bytes == "'") d.withHelp("strings use double quotes");
        }
        // Hidden from the parser: one bad character is one error.
        static_cast<antlr4::CommonToken*>(t)->setChannel(
            antlr4::Token::HIDDEN_CHANNEL);
        break;
      }
      case antlr4::Token::EOF:
        for (auto it = open.rbegin(); it != open.rend(); ++it) {
          if (it->type != RigLexer::STR_OPEN && it->type != RigLexer::TSTR_OPEN)
            continue;
          SourceRange at = state.range(it->token);
          endsInString = true;
          if (lastUnterminated > at.begin) break;
          state.emitter()
              .emit({state.file(), at.begin, at.end},
                    diag::Kind::UnterminatedString)
              .withHelp(it->type == RigLexer::TSTR_OPEN
                            ? "close it with `\"\"\"`"
                            : "close it with `\"`");
          endsInString = true;
          break;
        }
        break;
      default: break;
    }
  }
  return endsInString;
}

}  // namespace rig::parse
