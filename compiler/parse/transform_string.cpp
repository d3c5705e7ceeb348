// Strings: escapes, `${...}` interpolation, and the dedent of """...""".
#include <fmt/format.h>

#include "compiler/parse/parse_internal.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

namespace rig::parse {

EscapeResult decodeEscape(llvm::StringRef raw, std::string& out) {
  if (raw.size() < 2) {
    out += raw;
    return EscapeResult::Unknown;
  }
  switch (raw[1]) {
    case 'n': out += '\n'; return EscapeResult::Ok;
    case 't': out += '\t'; return EscapeResult::Ok;
    case 'r': out += '\r'; return EscapeResult::Ok;
    case '"': out += '"'; return EscapeResult::Ok;
    case '\\': out += '\\'; return EscapeResult::Ok;
    case '$': out += '$'; return EscapeResult::Ok;
    case 'u': {
      // \u{XXXX}: 1 to 6 hex digits, a Unicode scalar value.
      if (!raw.startswith("\\u{") || !raw.endswith("}")) break;
      llvm::StringRef hex = raw.drop_front(3).drop_back(1);
      unsigned value = 0;
      if (hex.empty() || hex.size() > 6 || hex.getAsInteger(16, value) ||
          value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        out += raw;
        return EscapeResult::BadUnicode;
      }
      char buffer[8];
      char* p = buffer;
      llvm::ConvertCodePointToUTF8(value, p);
      out.append(buffer, p);
      return EscapeResult::Ok;
    }
    default: break;
  }
  out += raw;
  return raw.startswith("\\u") ? EscapeResult::BadUnicode
                               : EscapeResult::Unknown;
}

namespace {

// One piece of a string before parts are formed. Literal text is kept per
// source piece so that the dedent of """ strings can see raw whitespace;
// escapes and interpolations are opaque (never indentation).
struct Piece {
  enum Kind { Raw, Decoded, Interp } kind;
  SourceRange range;
  std::string text;  // Raw: source bytes; Decoded: decoded escape
  ast::ExprPtr expr;
};

// Appends literal text to the parts, merging with a preceding literal part.
void appendText(std::vector<ast::StringPart>& parts, SourceRange range,
                llvm::StringRef text) {
  if (!parts.empty() && parts.back().expr == nullptr) {
    parts.back().text += text;
    parts.back().range = SourceRange::join(parts.back().range, range);
    return;
  }
  ast::StringPart part;
  part.range = range;
  part.text = text.str();
  parts.push_back(std::move(part));
}

void appendExpr(std::vector<ast::StringPart>& parts, SourceRange range,
                ast::ExprPtr expr) {
  ast::StringPart part;
  part.range = range;
  part.expr = std::move(expr);
  parts.push_back(std::move(part));
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

// The triple-quoted string rules: drop the first line break after the
// opening quotes (and blanks before it), then remove the common leading
// indentation of the remaining lines. Lines of blanks only do not count
// towards the common indentation. Works on a flat list of characters where
// each escape or interpolation is one opaque non-blank element.
std::vector<ast::StringPart> dedent(std::vector<Piece>& pieces, FileId file) {
  struct Elem {
    char c;           // a raw byte, or 0 for an opaque piece
    uint32_t offset;  // source offset of a raw byte
    int piece;        // index into pieces for an opaque element, else -1
  };
  std::vector<Elem> elems;
  for (size_t i = 0; i < pieces.size(); ++i) {
    Piece& p = pieces[i];
    if (p.kind != Piece::Raw) {
      elems.push_back({0, p.range.begin, static_cast<int>(i)});
      continue;
    }
    for (size_t j = 0; j < p.text.size(); ++j) {
      char c = p.text[j];
      if (c == '\r' && j + 1 < p.text.size() && p.text[j + 1] == '\n') continue;
      elems.push_back({c, static_cast<uint32_t>(p.range.begin + j), -1});
    }
  }

  size_t start = 0;
  {
    size_t i = 0;
    while (i < elems.size() && elems[i].piece < 0 && isBlank(elems[i].c)) ++i;
    if (i < elems.size() && elems[i].piece < 0 && elems[i].c == '\n')
      start = i + 1;
  }

  // Lines as [begin, end) into elems (end excludes the newline).
  std::vector<std::pair<size_t, size_t>> lines;
  size_t lineBegin = start;
  for (size_t i = start; i < elems.size(); ++i) {
    if (elems[i].piece < 0 && elems[i].c == '\n') {
      lines.push_back({lineBegin, i});
      lineBegin = i + 1;
    }
  }
  lines.push_back({lineBegin, elems.size()});

  size_t common = SIZE_MAX;
  for (auto [b, e] : lines) {
    size_t n = 0;
    while (b + n < e && elems[b + n].piece < 0 && isBlank(elems[b + n].c)) ++n;
    if (b + n == e) continue;  // blanks only
    common = std::min(common, n);
  }

  std::vector<ast::StringPart> parts;
  for (size_t li = 0; li < lines.size(); ++li) {
    auto [b, e] = lines[li];
    size_t skip = 0;
    while (skip < common && b + skip < e && elems[b + skip].piece < 0 &&
           isBlank(elems[b + skip].c))
      ++skip;
    size_t end = li + 1 < lines.size() ? e + 1 : e;  // keep the newline
    for (size_t i = b + skip; i < end; ++i) {
      const Elem& el = elems[i];
      if (el.piece < 0) {
        appendText(parts, {file, el.offset, el.offset + 1},
                   llvm::StringRef(&el.c, 1));
        continue;
      }
      Piece& p = pieces[el.piece];
      if (p.kind == Piece::Decoded)
        appendText(parts, p.range, p.text);
      else
        appendExpr(parts, p.range, std::move(p.expr));
    }
  }
  return parts;
}

}  // namespace

ast::ExprPtr Transformer::transformString(RigParser::StringContext* ctx) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = ast::ExprKind::String;
  if (ctx == nullptr) {
    e->range = {state_.file(), 0, 0};
    return e;
  }
  e->range = state_.range(ctx);
  e->tripleQuoted = ctx->TSTR_OPEN() != nullptr;

  std::vector<Piece> pieces;
  auto addEscape = [&](antlr4::tree::TerminalNode* node) {
    SourceRange r = state_.range(node);
    llvm::StringRef raw = state_.text(node);
    Piece p{Piece::Decoded, r, "", nullptr};
    switch (decodeEscape(raw, p.text)) {
      case EscapeResult::Ok: break;
      case EscapeResult::Unknown:
        state_.emitter()
            .emit(r, diag::Kind::UnknownEscape, raw.str())
            .withHelp(
                "a backslash is written `\\\\`, or use a raw string "
                "(`r\"...\"`, `r\"\"\"...\"\"\"`) in which it is literal; "
                "escapes are \\n \\t \\r \\\" \\\\ \\$ and \\u{XXXX}");
        break;
      case EscapeResult::BadUnicode:
        state_.emitter()
            .emit(r, diag::Kind::InvalidUnicodeEscape, raw.str())
            .withHelp(
                "write \\u{XXXX} with 1 to 6 hex digits of a Unicode "
                "scalar value");
        break;
    }
    pieces.push_back(std::move(p));
  };
  auto addRaw = [&](antlr4::tree::TerminalNode* node) {
    pieces.push_back(
        {Piece::Raw, state_.range(node), state_.text(node).str(), nullptr});
  };
  auto addInterp = [&](antlr4::ParserRuleContext* part,
                       RigParser::ExprContext* expr) {
    pieces.push_back(
        {Piece::Interp, state_.range(part), "", transformExpr(expr)});
  };

  for (RigParser::StringPartContext* part : ctx->stringPart()) {
    if (part->STR_TEXT())
      addRaw(part->STR_TEXT());
    else if (part->STR_DOLLAR())
      addRaw(part->STR_DOLLAR());
    else if (part->STR_ESCAPE())
      addEscape(part->STR_ESCAPE());
    else if (part->STR_INTERP())
      addInterp(part, part->expr());
  }
  for (RigParser::TstringPartContext* part : ctx->tstringPart()) {
    if (part->TSTR_TEXT())
      addRaw(part->TSTR_TEXT());
    else if (part->TSTR_QUOTE())
      addRaw(part->TSTR_QUOTE());
    else if (part->TSTR_DOLLAR())
      addRaw(part->TSTR_DOLLAR());
    else if (part->TSTR_ESCAPE())
      addEscape(part->TSTR_ESCAPE());
    else if (part->TSTR_INTERP())
      addInterp(part, part->expr());
  }

  if (e->tripleQuoted) {
    e->parts = dedent(pieces, state_.file());
    return e;
  }
  for (Piece& p : pieces) {
    if (p.kind == Piece::Interp)
      appendExpr(e->parts, p.range, std::move(p.expr));
    else
      appendText(e->parts, p.range, p.text);
  }
  return e;
}

std::string Transformer::plainString(RigParser::StringContext* ctx,
                                     const char* what, SourceRange* range) {
  ast::ExprPtr e = transformString(ctx);
  if (range) *range = e->range;
  std::string text;
  bool reported = false;
  for (const ast::StringPart& part : e->parts) {
    if (part.expr == nullptr) {
      text += part.text;
    } else if (!reported) {
      reported = true;
      state_.emitter().emit(part.range, diag::Kind::InterpolationNotAllowed,
                            what);
    }
  }
  return text;
}

}  // namespace rig::parse
