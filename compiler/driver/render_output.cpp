// Interim renderers until compiler/diag/render.h lands; then this file only
// forwards to it.
#include "compiler/driver/render_output.h"

#include <fmt/format.h>

#include "llvm/Support/JSON.h"

namespace rig::driver {

namespace {

llvm::SourceMgr::DiagKind smKind(diag::Severity s) {
  switch (s) {
    case diag::Severity::Error: return llvm::SourceMgr::DK_Error;
    case diag::Severity::Warning: return llvm::SourceMgr::DK_Warning;
    default: return llvm::SourceMgr::DK_Note;
  }
}

std::string label(const diag::Diagnostic& d) {
  const diag::KindInfo& k = diag::info(d.kind);
  if (k.isLint()) return fmt::format(" [{} {}]", k.code.str(), k.lintName.str());
  return fmt::format(" [{}]", k.code.str());
}

void printText(llvm::ArrayRef<diag::Diagnostic> diags,
               const SourceFiles& sources, bool color,
               llvm::raw_ostream& os) {
  const llvm::SourceMgr& mgr = sources.manager();
  for (const diag::Diagnostic& d : diags) {
    auto print = [&](SourceRange r, llvm::SourceMgr::DiagKind kind,
                     const std::string& text) {
      if (!r.valid()) {
        mgr.PrintMessage(os, llvm::SMDiagnostic("", kind, text), color);
        return;
      }
      llvm::SMLoc begin = sources.toSMLoc(r.file, r.begin);
      llvm::SMRange range(begin, sources.toSMLoc(r.file, r.end));
      mgr.PrintMessage(os, begin, kind, text,
                       r.end > r.begin ? llvm::ArrayRef<llvm::SMRange>(range)
                                       : llvm::ArrayRef<llvm::SMRange>(),
                       {}, color);
    };
    print(d.range, smKind(d.severity), d.message + label(d));
    for (const diag::Note& n : d.notes)
      print(n.range, llvm::SourceMgr::DK_Note, n.message);
    if (!d.help.empty())
      mgr.PrintMessage(os, llvm::SMDiagnostic("", llvm::SourceMgr::DK_Remark,
                                              "help: " + d.help),
                       false);
  }
}

llvm::json::Object location(const SourceFiles& sources, SourceRange r) {
  llvm::json::Object o;
  if (!r.valid()) return o;
  LineCol b = sources.begin(r), e = sources.end(r);
  o["file"] = sources.path(r.file).str();
  o["line"] = b.line;
  o["column"] = b.col;
  o["endLine"] = e.line;
  o["endColumn"] = e.col;
  return o;
}

void printJson(llvm::ArrayRef<diag::Diagnostic> diags,
               const SourceFiles& sources, llvm::raw_ostream& os) {
  llvm::json::Array all;
  for (const diag::Diagnostic& d : diags) {
    const diag::KindInfo& k = diag::info(d.kind);
    llvm::json::Object o = location(sources, d.range);
    o["severity"] = diag::severityName(d.severity).str();
    o["code"] = k.code.str();
    if (k.isLint()) o["name"] = k.lintName.str();
    o["message"] = d.message;
    llvm::json::Array notes;
    for (const diag::Note& n : d.notes) {
      llvm::json::Object note = location(sources, n.range);
      note["message"] = n.message;
      notes.push_back(std::move(note));
    }
    o["notes"] = std::move(notes);
    if (!d.help.empty()) o["help"] = d.help;
    all.push_back(std::move(o));
  }
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(all))) << "\n";
}

const char* sarifLevel(diag::Severity s) {
  switch (s) {
    case diag::Severity::Error: return "error";
    case diag::Severity::Warning: return "warning";
    default: return "note";
  }
}

llvm::json::Object sarifLocation(const SourceFiles& sources, SourceRange r) {
  LineCol b = sources.begin(r), e = sources.end(r);
  return llvm::json::Object{
      {"physicalLocation",
       llvm::json::Object{
           {"artifactLocation",
            llvm::json::Object{{"uri", sources.path(r.file).str()}}},
           {"region", llvm::json::Object{{"startLine", b.line},
                                         {"startColumn", b.col},
                                         {"endLine", e.line},
                                         {"endColumn", e.col}}}}}};
}

void printSarif(llvm::ArrayRef<diag::Diagnostic> diags,
                const SourceFiles& sources, llvm::raw_ostream& os) {
  llvm::json::Array rules;
  for (const diag::KindInfo& k : diag::allKinds()) {
    if (!k.isLint()) continue;
    rules.push_back(llvm::json::Object{
        {"id", k.code.str()},
        {"name", k.lintName.str()},
        {"helpUri", "docs/lints.md#" + k.lintName.str()}});
  }
  llvm::json::Array results;
  for (const diag::Diagnostic& d : diags) {
    const diag::KindInfo& k = diag::info(d.kind);
    std::string text = d.message;
    if (!d.help.empty()) text += "\nhelp: " + d.help;
    llvm::json::Object result{{"ruleId", k.code.str()},
                              {"level", sarifLevel(d.severity)},
                              {"message", llvm::json::Object{{"text", text}}}};
    if (d.range.valid())
      result["locations"] =
          llvm::json::Array{sarifLocation(sources, d.range)};
    llvm::json::Array related;
    for (const diag::Note& n : d.notes) {
      if (!n.range.valid()) continue;
      llvm::json::Object loc = sarifLocation(sources, n.range);
      loc["message"] = llvm::json::Object{{"text", n.message}};
      related.push_back(std::move(loc));
    }
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    results.push_back(std::move(result));
  }
  llvm::json::Object log{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       llvm::json::Array{llvm::json::Object{
           {"tool", llvm::json::Object{{"driver",
                                        llvm::json::Object{
                                            {"name", "rig"},
                                            {"rules", std::move(rules)}}}}},
           {"results", std::move(results)}}}}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(log))) << "\n";
}

// GitHub Actions workflow commands: `%`, CR and LF are escaped in the
// message, and also `:` and `,` in properties.
std::string escapeGithub(llvm::StringRef s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

void printGithub(llvm::ArrayRef<diag::Diagnostic> diags,
                 const SourceFiles& sources, llvm::raw_ostream& os) {
  for (const diag::Diagnostic& d : diags) {
    const diag::KindInfo& k = diag::info(d.kind);
    const char* level = d.severity == diag::Severity::Error     ? "error"
                        : d.severity == diag::Severity::Warning ? "warning"
                                                                : "notice";
    std::string props;
    if (d.range.valid()) {
      LineCol b = sources.begin(d.range), e = sources.end(d.range);
      props = fmt::format(" file={},line={},col={},endLine={},endColumn={},",
                          escapeGithub(sources.path(d.range.file), true),
                          b.line, b.col, e.line, e.col);
    } else {
      props = " ";
    }
    std::string title = k.isLint() ? fmt::format("{} {}", k.code.str(),
                                                 k.lintName.str())
                                   : k.code.str();
    std::string text = d.message;
    if (!d.help.empty()) text += "\nhelp: " + d.help;
    os << "::" << level << props << "title=" << escapeGithub(title, true)
       << "::" << escapeGithub(text, false) << "\n";
  }
}

}  // namespace

void renderDiagnostics(llvm::ArrayRef<diag::Diagnostic> diagnostics,
                       const SourceFiles& sources, Format format, bool color,
                       llvm::raw_ostream& os) {
  switch (format) {
    case Format::Text: printText(diagnostics, sources, color, os); return;
    case Format::Json: printJson(diagnostics, sources, os); return;
    case Format::Sarif: printSarif(diagnostics, sources, os); return;
    case Format::Github: printGithub(diagnostics, sources, os); return;
  }
}

}  // namespace rig::driver
