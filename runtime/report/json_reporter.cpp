// The JSON document of a run and the NDJSON event stream (docs/reports.md
// has the schema). Both share the encoding of results below.
#include <string>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/report/reporter.h"

namespace rig::report {
namespace {

namespace json = llvm::json;

json::Value strings(const std::vector<std::string>& items) {
  json::Array out;
  for (const std::string& s : items) out.push_back(s);
  return out;
}

json::Value encode(const std::optional<Failure>& failure) {
  if (!failure) return nullptr;
  const Failure& f = *failure;
  json::Object o{{"message", f.message},
                 {"location", f.location},
                 {"snippet", f.snippet},
                 {"details", f.details},
                 {"callers", strings(f.callers)}};
  if (auto loc = parseLocation(f.location))
    o["at"] = json::Object{{"file", loc->file},
                           {"line", static_cast<int64_t>(loc->line)},
                           {"col", static_cast<int64_t>(loc->col)}};
  else
    o["at"] = nullptr;
  json::Array consoles;
  for (const ConsoleTail& c : f.consoles)
    consoles.push_back(json::Object{{"machine", c.machine}, {"text", c.text}});
  o["consoles"] = std::move(consoles);
  return o;
}

json::Value encode(const SubtestResult& s) {
  return json::Object{{"name", s.name},
                      {"status", statusName(s.status)},
                      {"durationMs", s.durationMs},
                      {"failure", encode(s.failure)}};
}

json::Value encode(const TestResult& t) {
  json::Array subtests;
  for (const SubtestResult& s : t.subtests) subtests.push_back(encode(s));
  return json::Object{{"name", t.name},
                      {"status", statusName(t.status)},
                      {"durationMs", t.durationMs},
                      {"failure", encode(t.failure)},
                      {"subtests", std::move(subtests)},
                      {"log", strings(t.log)}};
}

json::Value encode(const Counts& c) {
  return json::Object{{"passed", static_cast<int64_t>(c.passed)},
                      {"failed", static_cast<int64_t>(c.failed)},
                      {"skipped", static_cast<int64_t>(c.skipped)},
                      {"errors", static_cast<int64_t>(c.errors)}};
}

json::Value encode(const SuiteResult& s) {
  json::Array tests;
  for (const TestResult& t : s.tests) tests.push_back(encode(t));
  return json::Object{{"name", s.name},
                      {"path", s.path},
                      {"status", statusName(s.status)},
                      {"durationMs", s.durationMs},
                      {"counts", encode(countTests(s))},
                      {"error", encode(s.error)},
                      {"tests", std::move(tests)}};
}

// Console text is whatever the guest wrote: invalid UTF-8 becomes U+FFFD
// (llvm::json asserts on it otherwise).
std::string utf8(llvm::StringRef text) {
  return json::isUTF8(text) ? text.str() : json::fixUTF8(text);
}

void addStep(json::Object& o, const StepInfo& step) {
  o["test"] = step.test;
  o["subtest"] = step.subtest;
  o["text"] = step.text;
  o["location"] = step.location;
  o["node"] = step.node;
  o["wait"] = step.wait;
  o["startMs"] = step.startMs;
}

// The `run` object (docs/reports.md); null without an identity.
json::Value encode(const RunIdentity& identity) {
  if (identity.id.empty()) return nullptr;
  json::Array missing;
  for (unsigned k : identity.missingShards) missing.push_back(int64_t(k));
  json::Value shard = nullptr;
  if (identity.shard) shard = int64_t(identity.shard);
  return json::Object{{"id", identity.id},
                      {"suites", strings(identity.suites)},
                      {"shards", int64_t(identity.shards)},
                      {"shard", std::move(shard)},
                      {"missingShards", std::move(missing)}};
}

class JsonReporter : public Reporter {
 public:
  JsonReporter(std::string path, RunIdentity identity)
      : path_(std::move(path)), identity_(std::move(identity)) {}
  void runFinished(const RunSummary& run) override {
    text_ = renderJson(run, identity_);
  }
  llvm::Error finish() override {
    return writeReportFile(path_, text_, "JSON report");
  }

 private:
  std::string path_;
  RunIdentity identity_;
  std::string text_;
};

class EventsReporter : public Reporter {
 public:
  explicit EventsReporter(llvm::raw_ostream& out) : out_(&out) {}
  EventsReporter(std::string path, RunIdentity identity)
      : path_(std::move(path)), identity_(std::move(identity)) {
    std::error_code ec;
    file_ = std::make_unique<llvm::raw_fd_ostream>(path_, ec,
                                                   llvm::sys::fs::OF_Text);
    if (ec) {
      openError_ = ec;
      file_.reset();
    }
    out_ = file_.get();
  }

  void runStarted(size_t suiteCount, unsigned jobs) override {
    json::Object o{{"event", "runStarted"},
                   {"version", 1},
                   {"suites", static_cast<int64_t>(suiteCount)},
                   {"jobs", static_cast<int64_t>(jobs)}};
    if (!identity_.id.empty()) o["run"] = encode(identity_);
    emit(std::move(o));
  }
  void suiteStarted(const SuiteInfo& s) override {
    emit(json::Object{{"event", "suiteStarted"},
                      {"suite", s.name},
                      {"path", s.path},
                      {"tests", strings(s.tests)},
                      {"nodes", strings(s.nodes)}});
  }
  void testStarted(const SuiteInfo& s, llvm::StringRef test) override {
    emit(json::Object{
        {"event", "testStarted"}, {"suite", s.name}, {"test", test}});
  }
  void log(const SuiteInfo& s, llvm::StringRef test,
           llvm::StringRef message) override {
    emit(json::Object{{"event", "log"},
                      {"suite", s.name},
                      {"test", test},
                      {"message", message}});
  }
  void subtestFinished(const SuiteInfo& s, llvm::StringRef test,
                       const SubtestResult& subtest) override {
    emit(json::Object{{"event", "subtestFinished"},
                      {"suite", s.name},
                      {"test", test},
                      {"result", encode(subtest)}});
  }
  void testFinished(const SuiteInfo& s, const TestResult& test) override {
    emit(json::Object{{"event", "testFinished"},
                      {"suite", s.name},
                      {"result", encode(test)}});
  }
  void nodeChanged(const SuiteInfo& s, const NodeEvent& e) override {
    json::Object o{{"event", "nodeChanged"}, {"suite", s.name},
                   {"node", e.node},         {"phase", nodePhaseName(e.phase)},
                   {"atMs", e.atMs},         {"detail", utf8(e.detail)}};
    if (!e.backend.empty()) o["backend"] = e.backend;
    emit(std::move(o));
  }
  void stepStarted(const SuiteInfo& s, const StepInfo& step) override {
    json::Object o{{"event", "stepStarted"}, {"suite", s.name}};
    addStep(o, step);
    emit(std::move(o));
  }
  void stepFinished(const SuiteInfo& s, const StepResult& r) override {
    json::Object o{{"event", "stepFinished"}, {"suite", s.name}};
    addStep(o, r.step);
    o["status"] = statusName(r.status);
    o["durationMs"] = r.durationMs;
    emit(std::move(o));
  }
  void consoleLine(const SuiteInfo& s, llvm::StringRef node,
                   llvm::StringRef line, double atMs) override {
    emit(json::Object{{"event", "consoleLine"},
                      {"suite", s.name},
                      {"node", node},
                      {"line", utf8(line)},
                      {"atMs", atMs}});
  }
  void suiteFinished(const SuiteResult& suite) override {
    emit(json::Object{{"event", "suiteFinished"},
                      {"suite", suite.name},
                      {"result", encode(suite)}});
  }
  void runFinished(const RunSummary& run) override {
    json::Object event{{"event", "runFinished"},
                       {"durationMs", run.durationMs},
                       {"exitCode", exitCode(run)},
                       {"counts", encode(countTests(run))}};
    if (run.interrupted) event.try_emplace("interrupted", true);
    emit(std::move(event));
  }
  llvm::Error finish() override {
    if (openError_)
      return llvm::createStringError(openError_, "cannot write events %s: %s",
                                     path_.c_str(),
                                     openError_.message().c_str());
    if (file_) {
      file_->close();
      if (file_->has_error())
        return llvm::createStringError(file_->error(), "cannot write events %s",
                                       path_.c_str());
    }
    return llvm::Error::success();
  }

 private:
  void emit(json::Object event) {
    if (!out_) return;
    *out_ << json::Value(std::move(event)) << "\n";
    out_->flush();
  }

  std::string path_;
  RunIdentity identity_;
  std::unique_ptr<llvm::raw_fd_ostream> file_;
  llvm::raw_ostream* out_ = nullptr;
  std::error_code openError_;
};

}  // namespace

std::string renderJson(const RunSummary& run, const RunIdentity& identity) {
  json::Array suites;
  for (const SuiteResult& s : run.suites) suites.push_back(encode(s));
  json::Object doc{{"version", 1},
                   {"tool", "rig"},
                   {"durationMs", run.durationMs},
                   {"exitCode", exitCode(run)},
                   {"counts", encode(countTests(run))},
                   {"suites", std::move(suites)}};
  if (!identity.id.empty()) doc["run"] = encode(identity);
  // Only when true: the results are what ran before Ctrl-C or SIGTERM.
  if (run.interrupted) doc.try_emplace("interrupted", true);
  std::string out;
  llvm::raw_string_ostream os(out);
  os << llvm::formatv("{0:2}", json::Value(std::move(doc))) << "\n";
  return os.str();
}

std::unique_ptr<Reporter> makeJsonReporter(std::string path,
                                           RunIdentity identity) {
  return std::make_unique<JsonReporter>(std::move(path), std::move(identity));
}
std::unique_ptr<Reporter> makeEventsReporter(std::string path,
                                             RunIdentity identity) {
  return std::make_unique<EventsReporter>(std::move(path), std::move(identity));
}
std::unique_ptr<Reporter> makeEventsReporter(llvm::raw_ostream& out) {
  return std::make_unique<EventsReporter>(out);
}

}  // namespace rig::report
