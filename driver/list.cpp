// `rig list [FILE|DIR...] [--json] [--durations FILE]`: the suites and
// their tests, for a CI matrix or a dashboard (docs/scaling.md). A
// directory means its suites (the *.rig files that declare nodes or tests);
// no argument means the current directory.
#include <fmt/format.h>

#include "driver/session.h"
#include "driver/shard.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

namespace rig::driver {

namespace {

struct ListedSuite {
  std::string path, name;
  std::vector<std::string> tags, tests, backends;
  size_t nodes = 0;
  std::optional<double> lastMs;
};

// Every node runs on a QEMU virtual machine until nodes can choose another
// backend.
std::vector<std::string> backendsOf(const sema::Program& program) {
  if (program.nodes.empty()) return {};
  return {"vm"};
}

std::string renderText(const std::vector<ListedSuite>& suites) {
  std::string out;
  size_t tests = 0;
  for (const ListedSuite& s : suites) {
    out += s.path;
    out += fmt::format("  {} node{}", s.nodes, s.nodes == 1 ? "" : "s");
    if (!s.backends.empty())
      out += fmt::format(" ({})", llvm::join(s.backends, ", "));
    if (!s.tags.empty()) out += "  tags: " + llvm::join(s.tags, ", ");
    if (s.lastMs) out += fmt::format("  last {:.1f}s", *s.lastMs / 1000);
    out += "\n";
    for (const std::string& t : s.tests) out += "  " + t + "\n";
    tests += s.tests.size();
  }
  out +=
      fmt::format("{} suite{}, {} test{}\n", suites.size(),
                  suites.size() == 1 ? "" : "s", tests, tests == 1 ? "" : "s");
  return out;
}

std::string renderJson(const std::vector<ListedSuite>& suites) {
  namespace json = llvm::json;
  auto array = [](const std::vector<std::string>& items) {
    json::Array out;
    for (const std::string& s : items) out.push_back(s);
    return out;
  };
  json::Array out;
  for (const ListedSuite& s : suites) {
    json::Value last = nullptr;
    if (s.lastMs) last = *s.lastMs;
    out.push_back(json::Object{{"path", s.path},
                               {"name", s.name},
                               {"tags", array(s.tags)},
                               {"tests", array(s.tests)},
                               {"nodes", static_cast<int64_t>(s.nodes)},
                               {"backends", array(s.backends)},
                               {"lastDurationMs", std::move(last)}});
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}",
                      json::Value(json::Object{{"suites", std::move(out)}}))
     << "\n";
  return os.str();
}

}  // namespace

int runList(Session& session) {
  const Invocation& inv = session.invocation();
  auto durations = readDurations(inv.durationsPath);
  if (!durations) {
    session.error(llvm::toString(durations.takeError()));
    return kExitUsage;
  }
  std::vector<std::string> inputs = inv.files;
  if (inputs.empty()) inputs.push_back(".");
  std::vector<ListedSuite> suites;
  bool failed = false;
  for (const std::string& input : inputs) {
    bool fromDirectory = llvm::sys::fs::is_directory(input);
    std::vector<std::string> specs;
    if (fromDirectory)
      specs = specsIn(input);
    else
      specs.push_back(input);
    for (const std::string& path : specs) {
      std::unique_ptr<CheckedSpec> spec = session.check(path, false);
      if (!spec || !spec->ok) {
        failed = true;
        continue;
      }
      const sema::Program& program = spec->program;
      if (fromDirectory && program.nodes.empty() && program.tests.empty())
        continue;  // a library
      ListedSuite s;
      s.path = path;
      s.name = llvm::sys::path::stem(path).str();
      s.tags = program.tags;
      for (const ast::Test* test : program.tests) s.tests.push_back(test->name);
      s.nodes = program.nodes.size();
      s.backends = backendsOf(program);
      if (auto it = durations->find(path); it != durations->end())
        s.lastMs = it->second;
      suites.push_back(std::move(s));
    }
  }
  session.printDiagnostics();
  if (failed || session.errorCount()) return kExitUsage;
  session.out() << (inv.listJson ? renderJson(suites) : renderText(suites));
  return kExitOk;
}

}  // namespace rig::driver
