// Source text for failures: the location, the failing line with a caret.
#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "runtime/exec/interpreter.h"

namespace rig::exec {

namespace {

// The 1-based line `line` of `text`, without its newline.
llvm::StringRef lineOf(llvm::StringRef text, uint32_t line) {
  for (uint32_t i = 1; i < line; ++i) {
    size_t nl = text.find('\n');
    if (nl == llvm::StringRef::npos) return "";
    text = text.drop_front(nl + 1);
  }
  return text.take_until([](char c) { return c == '\n'; });
}

}  // namespace

std::string Interpreter::sourceText(const plan::SourceLoc& loc) const {
  if (loc.line == 0 || loc.file >= plan_.sources.size()) return "";
  llvm::StringRef text = plan_.sources[loc.file].text;
  uint32_t endLine = loc.endLine ? loc.endLine : loc.line;
  std::string out;
  for (uint32_t line = loc.line; line <= endLine; ++line) {
    llvm::StringRef l = lineOf(text, line);
    size_t from = line == loc.line ? loc.col - 1 : 0;
    size_t to = line == endLine && loc.endCol ? loc.endCol - 1 : l.size();
    if (from > l.size()) from = l.size();
    if (to < from) to = from;
    if (line != loc.line) out += '\n';
    out += l.slice(from, to).str();
  }
  return out;
}

std::string Interpreter::locationText(const plan::SourceLoc& loc) const {
  if (loc.line == 0) return "";
  std::string path = loc.file < plan_.sources.size()
                         ? plan_.sources[loc.file].path
                         : plan_.suitePath;
  return fmt::format("{}:{}:{}", path, loc.line, loc.col);
}

std::string Interpreter::snippet(const plan::SourceLoc& loc) const {
  if (loc.line == 0 || loc.file >= plan_.sources.size()) return "";
  llvm::StringRef line = lineOf(plan_.sources[loc.file].text, loc.line);
  if (line.empty() && loc.col > 1) return "";
  size_t from = loc.col ? loc.col - 1 : 0;
  if (from > line.size()) from = line.size();
  size_t to = line.size();
  if ((loc.endLine == 0 || loc.endLine == loc.line) && loc.endCol > loc.col)
    to = std::min<size_t>(loc.endCol - 1, line.size());
  std::string pad;
  for (size_t i = 0; i < from; ++i) pad += line[i] == '\t' ? '\t' : ' ';
  std::string caret = "^";
  if (to > from + 1) caret += std::string(to - from - 1, '~');
  std::string number = std::to_string(loc.line);
  std::string gutter(std::max<size_t>(number.size(), 4), ' ');
  return fmt::format("{:>{}} | {}\n{} | {}{}", number, gutter.size(),
                     line.str(), gutter, pad, caret);
}

events::Failure Interpreter::render(const Failure& failure) {
  events::Failure out;
  out.message = failure.message;
  out.location = locationText(failure.loc);
  out.snippet = snippet(failure.loc);
  // As a terminal would show it (progress meters in command output or in a
  // console tail collapse to their last state).
  out.details = terminalText(failure.details);
  // "X: X: why" reads badly when a machine error repeats the message.
  if (llvm::StringRef(out.details).startswith(out.message + ": "))
    out.details = out.details.substr(out.message.size() + 2);
  for (const auto& [fn, loc] : failure.callers) {
    std::string where = locationText(loc);
    out.callers.push_back(
        where.empty() ? fmt::format("in fn `{}`", fn)
                      : fmt::format("in fn `{}` called at {}", fn, where));
  }
  // The machines the failure names get their tail first; the other machines
  // the test used get a shorter one: a request from one node often failed
  // because of another (a client's curl reset by a server whose service
  // died says why only in the server's console).
  const std::vector<std::string>& named = failure.machines;
  // A console already in the details is the named machine's, or, when the
  // failure names none, could be any machine's.
  if (failure.consoleIncluded && named.empty()) return out;
  auto addTail = [&](const std::string& name, size_t lines) {
    machine::Machine* m = nodes_.find(name);
    if (!m) return;
    std::string tail = terminalText(m->consoleTail(lines));
    if (tail.empty()) return;
    out.consoles.push_back({name, std::move(tail)});
  };
  if (!failure.consoleIncluded)
    for (const std::string& name : named) addTail(name, options_.consoleLines);
  size_t otherLines =
      named.empty() ? options_.consoleLines : options_.otherConsoleLines;
  for (const std::string& name : nodes_.touched())
    if (!llvm::is_contained(named, name)) addTail(name, otherLines);
  return out;
}

}  // namespace rig::exec
