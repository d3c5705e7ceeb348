#include "compiler/diag/render.h"

#include <algorithm>

#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace rig::diag {

std::optional<Format> parseFormat(llvm::StringRef name) {
  if (name == "text") return Format::Text;
  if (name == "json") return Format::Json;
  if (name == "sarif") return Format::Sarif;
  if (name == "github") return Format::Github;
  return std::nullopt;
}

namespace {

// ---- Text ----------------------------------------------------------------------

const char* const kReset = "\x1b[0m";
const char* const kBold = "\x1b[1m";

const char* severityColor(Severity s) {
  switch (s) {
    case Severity::Error: return "\x1b[1;31m";
    case Severity::Warning: return "\x1b[1;35m";
    case Severity::Note: return "\x1b[1;36m";
    case Severity::Ignored: return "";
  }
  return "";
}

// One display cell of a source line: its text and the byte where it starts.
// Tabs expand to spaces; invalid UTF-8 and control characters show as U+FFFD
// so that a snippet never writes raw garbage to a terminal.
struct LineView {
  llvm::StringRef line;  // without the line break
  unsigned tabWidth;

  template <typename Fn>
  void forEachCell(Fn fn) const {
    unsigned col = 0;
    size_t i = 0;
    while (i < line.size()) {
      unsigned char c = line[i];
      if (c == '\t') {
        unsigned n = tabWidth - col % tabWidth;
        for (unsigned k = 0; k < n; ++k) fn(i, col++, llvm::StringRef(" "));
        ++i;
        continue;
      }
      if (c < 0x20 || c == 0x7F) {
        fn(i, col++, llvm::StringRef("\xEF\xBF\xBD"));
        ++i;
        continue;
      }
      unsigned len = llvm::getNumBytesForUTF8(c);
      const auto* p = reinterpret_cast<const llvm::UTF8*>(line.data() + i);
      if (len == 1 ||
          (i + len <= line.size() && llvm::isLegalUTF8Sequence(p, p + len))) {
        fn(i, col++, line.substr(i, len));
        i += len;
        continue;
      }
      fn(i, col++, llvm::StringRef("\xEF\xBF\xBD"));
      ++i;
    }
  }

  // Display column of byte `offset` (the column after the line for offsets
  // at or past its end).
  unsigned column(size_t offset) const {
    unsigned result = 0;
    bool found = false;
    unsigned last = 0;
    forEachCell([&](size_t byte, unsigned col, llvm::StringRef) {
      if (!found && byte >= offset) {
        result = col;
        found = true;
      }
      last = col + 1;
    });
    return found ? result : last;
  }
};

void printLocation(llvm::raw_ostream& os, const SourceFiles& sources,
                   SourceRange r) {
  LineCol lc = sources.begin(r);
  os << sources.path(r.file) << ":" << lc.line << ":" << lc.col;
}

void printSnippet(llvm::raw_ostream& os, const SourceFiles& sources,
                  SourceRange r, const RenderOptions& options) {
  llvm::StringRef text = sources.text(r.file);
  uint32_t begin = std::min<uint32_t>(r.begin, text.size());
  size_t lineStart = text.rfind('\n', begin);  // searches [0, begin)
  lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
  size_t lineEnd = text.find('\n', begin);
  if (lineEnd == llvm::StringRef::npos) lineEnd = text.size();
  llvm::StringRef line = text.slice(lineStart, lineEnd);
  if (line.endswith("\r")) line = line.drop_back();

  LineView view{line, options.tabWidth};
  unsigned caretBegin = view.column(begin - lineStart);
  uint32_t end =
      std::min<uint32_t>(std::max(r.end, begin), lineStart + line.size());
  unsigned caretEnd = view.column(end - lineStart);
  if (caretEnd <= caretBegin) caretEnd = caretBegin + 1;
  unsigned width = view.column(line.size());

  // A window of maxLineWidth columns around the caret for very long lines.
  unsigned from = 0, to = width;
  if (width > options.maxLineWidth) {
    unsigned margin = options.maxLineWidth / 3;
    from = caretBegin > margin ? caretBegin - margin : 0;
    to = std::min(width, from + options.maxLineWidth);
    caretEnd = std::min(caretEnd, to + 1);
  }

  unsigned lineNo = sources.begin(r).line;
  std::string gutter = std::to_string(lineNo);
  std::string blank(gutter.size(), ' ');
  os << " " << gutter << " | ";
  if (from > 0) os << "...";
  view.forEachCell([&](size_t, unsigned col, llvm::StringRef cell) {
    if (col >= from && col < to) os << cell;
  });
  if (to < width) os << "...";
  os << "\n";
  os << " " << blank << " | ";
  if (from > 0) os << "   ";
  os.indent(caretBegin - from);
  if (options.color) os << "\x1b[1;32m";
  os << "^";
  for (unsigned c = caretBegin + 1; c < caretEnd; ++c) os << "~";
  if (options.color) os << kReset;
  os << "\n";
}

void printHeader(llvm::raw_ostream& os, const SourceFiles& sources,
                 SourceRange r, Severity severity, llvm::StringRef message,
                 llvm::StringRef code, const RenderOptions& options) {
  if (options.color) os << kBold;
  if (r.valid()) {
    printLocation(os, sources, r);
    os << ": ";
  }
  if (options.color) os << severityColor(severity);
  os << severityName(severity) << ":";
  if (options.color) os << kReset << kBold;
  os << " " << message;
  if (!code.empty()) os << " [" << code << "]";
  if (options.color) os << kReset;
  os << "\n";
}

void printImportChain(llvm::raw_ostream& os, const SourceFiles& sources,
                      FileId file) {
  // Guard against a cycle in the chain: it cannot be longer than the files.
  unsigned limit = sources.count();
  for (SourceRange from = sources.includedFrom(file); from.valid() && limit > 0;
       from = sources.includedFrom(from.file), --limit) {
    os << "in file imported from ";
    printLocation(os, sources, from);
    os << "\n";
  }
}

// ---- JSON ----------------------------------------------------------------------

void addLocation(llvm::json::Object& o, const SourceFiles& sources,
                 SourceRange r) {
  if (!r.valid()) return;
  LineCol b = sources.begin(r), e = sources.end(r);
  o["file"] = sources.path(r.file).str();
  o["line"] = b.line;
  o["col"] = b.col;
  o["endLine"] = e.line;
  o["endCol"] = e.col;
}

std::string sarifLevel(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
    case Severity::Ignored: return "none";
  }
  return "none";
}

llvm::json::Object sarifLocation(const SourceFiles& sources, SourceRange r,
                                 llvm::StringRef message = "") {
  LineCol b = sources.begin(r), e = sources.end(r);
  llvm::json::Object loc{
      {"physicalLocation",
       llvm::json::Object{
           {"artifactLocation",
            llvm::json::Object{{"uri", sources.path(r.file).str()}}},
           {"region", llvm::json::Object{{"startLine", b.line},
                                         {"startColumn", b.col},
                                         {"endLine", e.line},
                                         {"endColumn", e.col}}}}}};
  if (!message.empty())
    loc["message"] = llvm::json::Object{{"text", message.str()}};
  return loc;
}

// GitHub workflow commands: escape data and property values.
std::string githubEscape(llvm::StringRef s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

void renderText(const std::deque<Diagnostic>& diags, const SourceFiles& sources,
                llvm::raw_ostream& os, const RenderOptions& options) {
  for (const Diagnostic& d : diags) {
    if (d.severity == Severity::Ignored) continue;
    if (d.range.valid()) printImportChain(os, sources, d.range.file);
    printHeader(os, sources, d.range, d.severity, d.message, info(d.kind).code,
                options);
    if (d.range.valid()) printSnippet(os, sources, d.range, options);
    for (const Note& n : d.notes) {
      printHeader(os, sources, n.range, Severity::Note, n.message, "", options);
      if (n.range.valid()) printSnippet(os, sources, n.range, options);
    }
    if (!d.help.empty()) {
      if (options.color) os << kBold;
      os << "help:";
      if (options.color) os << kReset;
      os << " " << d.help << "\n";
    }
  }
}

void renderJson(const std::deque<Diagnostic>& diags, const SourceFiles& sources,
                llvm::raw_ostream& os, const RenderOptions&) {
  llvm::json::Array out;
  for (const Diagnostic& d : diags) {
    if (d.severity == Severity::Ignored) continue;
    llvm::json::Object o;
    addLocation(o, sources, d.range);
    o["severity"] = severityName(d.severity).str();
    o["code"] = info(d.kind).code.str();
    o["name"] = info(d.kind).isLint() ? info(d.kind).lintName.str()
                                      : info(d.kind).name.str();
    o["message"] = d.message;
    llvm::json::Array notes;
    for (const Note& n : d.notes) {
      llvm::json::Object no;
      addLocation(no, sources, n.range);
      no["message"] = n.message;
      notes.push_back(std::move(no));
    }
    o["notes"] = std::move(notes);
    if (!d.help.empty()) o["help"] = d.help;
    out.push_back(std::move(o));
  }
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(out))) << "\n";
}

void renderSarif(const std::deque<Diagnostic>& diags,
                 const SourceFiles& sources, llvm::raw_ostream& os,
                 const RenderOptions& options) {
  llvm::json::Array rules;
  for (const KindInfo& k : allKinds()) {
    rules.push_back(llvm::json::Object{
        {"id", k.code.str()},
        {"name", k.isLint() ? k.lintName.str() : k.name.str()},
        {"shortDescription", llvm::json::Object{{"text", k.format.str()}}},
        {"defaultConfiguration",
         llvm::json::Object{{"level", sarifLevel(k.defaultSeverity)}}}});
  }
  llvm::json::Array results;
  for (const Diagnostic& d : diags) {
    if (d.severity == Severity::Ignored) continue;
    std::string text = d.message;
    if (!d.help.empty()) text += "\nhelp: " + d.help;
    llvm::json::Object result{{"ruleId", info(d.kind).code.str()},
                              {"ruleIndex", static_cast<int64_t>(d.kind)},
                              {"level", sarifLevel(d.severity)},
                              {"message", llvm::json::Object{{"text", text}}}};
    if (d.range.valid())
      result["locations"] = llvm::json::Array{sarifLocation(sources, d.range)};
    llvm::json::Array related;
    for (const Note& n : d.notes)
      if (n.range.valid())
        related.push_back(sarifLocation(sources, n.range, n.message));
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    results.push_back(std::move(result));
  }
  llvm::json::Object sarif{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       llvm::json::Array{llvm::json::Object{
           {"tool",
            llvm::json::Object{
                {"driver", llvm::json::Object{{"name", "rig"},
                                              {"version", options.toolVersion},
                                              {"rules", std::move(rules)}}}}},
           {"results", std::move(results)}}}}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(sarif))) << "\n";
}

void renderGithub(const std::deque<Diagnostic>& diags,
                  const SourceFiles& sources, llvm::raw_ostream& os,
                  const RenderOptions&) {
  for (const Diagnostic& d : diags) {
    const char* command = d.severity == Severity::Error     ? "error"
                          : d.severity == Severity::Warning ? "warning"
                          : d.severity == Severity::Note    ? "notice"
                                                            : nullptr;
    if (command == nullptr) continue;
    os << "::" << command << " ";
    if (d.range.valid()) {
      LineCol b = sources.begin(d.range), e = sources.end(d.range);
      os << "file=" << githubEscape(sources.path(d.range.file), true)
         << ",line=" << b.line << ",col=" << b.col << ",endLine=" << e.line
         << ",endColumn=" << e.col << ",";
    }
    os << "title=" << githubEscape(info(d.kind).code, true) << "::";
    std::string text = d.message;
    for (const Note& n : d.notes) {
      text += "\nnote: ";
      if (n.range.valid()) {
        LineCol b = sources.begin(n.range);
        text += sources.path(n.range.file).str() + ":" +
                std::to_string(b.line) + ":" + std::to_string(b.col) + ": ";
      }
      text += n.message;
    }
    if (!d.help.empty()) text += "\nhelp: " + d.help;
    os << githubEscape(text, false) << "\n";
  }
}

void render(Format format, const std::deque<Diagnostic>& diags,
            const SourceFiles& sources, llvm::raw_ostream& os,
            const RenderOptions& options) {
  switch (format) {
    case Format::Text: return renderText(diags, sources, os, options);
    case Format::Json: return renderJson(diags, sources, os, options);
    case Format::Sarif: return renderSarif(diags, sources, os, options);
    case Format::Github: return renderGithub(diags, sources, os, options);
  }
}

}  // namespace rig::diag
