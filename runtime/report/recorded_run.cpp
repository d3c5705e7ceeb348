// The JSON report and the NDJSON event stream read back (recorded.h): the
// inverse of json_reporter.cpp's encoding.
#include <map>

#include <fmt/format.h>

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "runtime/report/recorded.h"

namespace rig::report {
namespace {

namespace json = llvm::json;

llvm::Error invalid(const std::string& what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s",
                                 what.c_str());
}

std::string str(const json::Object& o, llvm::StringRef key) {
  if (auto s = o.getString(key)) return s->str();
  return "";
}
double number(const json::Object& o, llvm::StringRef key) {
  return o.getNumber(key).getValueOr(0);
}
std::vector<std::string> strings(const json::Object& o, llvm::StringRef key) {
  std::vector<std::string> out;
  if (const json::Array* a = o.getArray(key))
    for (const json::Value& v : *a)
      if (auto s = v.getAsString()) out.push_back(s->str());
  return out;
}

Status status(const json::Object& o) {
  std::string name = str(o, "status");
  for (Status s :
       {Status::Passed, Status::Failed, Status::Skipped, Status::Error})
    if (statusName(s) == name) return s;
  return Status::Error;  // unknown: trust nothing
}

std::optional<Failure> failure(const json::Object& o, llvm::StringRef key) {
  const json::Object* f = o.getObject(key);
  if (!f) return std::nullopt;
  Failure out;
  out.message = str(*f, "message");
  out.location = str(*f, "location");
  out.snippet = str(*f, "snippet");
  out.details = str(*f, "details");
  out.callers = strings(*f, "callers");
  if (const json::Array* consoles = f->getArray("consoles"))
    for (const json::Value& c : *consoles)
      if (const json::Object* co = c.getAsObject())
        out.consoles.push_back({str(*co, "machine"), str(*co, "text")});
  return out;
}

SubtestResult subtest(const json::Object& o) {
  return {str(o, "name"), status(o), number(o, "durationMs"),
          failure(o, "failure")};
}

TestResult test(const json::Object& o) {
  TestResult t;
  t.name = str(o, "name");
  t.status = status(o);
  t.durationMs = number(o, "durationMs");
  t.failure = failure(o, "failure");
  if (const json::Array* subs = o.getArray("subtests"))
    for (const json::Value& s : *subs)
      if (const json::Object* so = s.getAsObject())
        t.subtests.push_back(subtest(*so));
  t.log = strings(o, "log");
  return t;
}

SuiteResult suite(const json::Object& o) {
  SuiteResult s;
  s.name = str(o, "name");
  s.path = str(o, "path");
  s.status = status(o);
  s.durationMs = number(o, "durationMs");
  s.error = failure(o, "error");
  if (const json::Array* tests = o.getArray("tests"))
    for (const json::Value& t : *tests)
      if (const json::Object* to = t.getAsObject())
        s.tests.push_back(test(*to));
  return s;
}

std::optional<RunIdentity> identity(const json::Object& o) {
  const json::Object* run = o.getObject("run");
  if (!run) return std::nullopt;
  RunIdentity id;
  id.id = str(*run, "id");
  id.suites = strings(*run, "suites");
  id.shards = static_cast<unsigned>(run->getInteger("shards").getValueOr(1));
  id.shard = static_cast<unsigned>(run->getInteger("shard").getValueOr(0));
  if (const json::Array* missing = run->getArray("missingShards"))
    for (const json::Value& k : *missing)
      if (auto n = k.getAsInteger()) id.missingShards.push_back(unsigned(*n));
  return id;
}

StepInfo step(const json::Object& o) {
  StepInfo s;
  s.test = str(o, "test");
  s.subtest = str(o, "subtest");
  s.text = str(o, "text");
  s.location = str(o, "location");
  s.node = str(o, "node");
  s.wait = o.getBoolean("wait").getValueOr(false);
  s.startMs = number(o, "startMs");
  return s;
}

NodePhase phase(llvm::StringRef name) {
  for (NodePhase p : {NodePhase::Booting, NodePhase::Ready, NodePhase::Stopped,
                      NodePhase::Failed})
    if (nodePhaseName(p) == name) return p;
  return NodePhase::Failed;
}

llvm::Expected<RecordedRun> readJsonReport(const json::Object& doc) {
  RecordedRun run;
  run.identity = identity(doc);
  run.finished = true;
  run.durationMs = number(doc, "durationMs");
  const json::Array* suites = doc.getArray("suites");
  if (!suites) return invalid("not a rig JSON report: no `suites`");
  for (const json::Value& v : *suites) {
    const json::Object* o = v.getAsObject();
    if (!o) return invalid("not a rig JSON report: a suite is not an object");
    RecordedSuite s;
    s.result = suite(*o);
    s.info.name = s.result.name;
    s.info.path = s.result.path;
    for (const TestResult& t : s.result.tests) s.info.tests.push_back(t.name);
    run.suites.push_back(std::move(s));
  }
  return run;
}

// An event stream: each suite's events are kept under the suite that is
// open under that name (events name their suite by name).
llvm::Expected<RecordedRun> readEvents(llvm::StringRef text) {
  RecordedRun run;
  run.fromEvents = true;
  std::map<std::string, RecordedSuite> open;
  unsigned lineNo = 0;
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    bool complete = text.size() > line.size();  // ends with '\n'
    text = rest;
    ++lineNo;
    if (line.trim().empty()) continue;
    llvm::Expected<json::Value> parsed = json::parse(line);
    if (!parsed) {
      llvm::consumeError(parsed.takeError());
      // A runner killed while writing leaves half a last line.
      if (!complete) break;
      return invalid(fmt::format("line {}: not JSON", lineNo));
    }
    const json::Object* o = parsed->getAsObject();
    if (!o) return invalid(fmt::format("line {}: not an event", lineNo));
    std::string event = str(*o, "event");
    std::string name = str(*o, "suite");
    if (event == "runStarted") {
      run.jobs = static_cast<unsigned>(o->getInteger("jobs").getValueOr(1));
      run.identity = identity(*o);
      continue;
    }
    if (event == "runFinished") {
      run.durationMs = number(*o, "durationMs");
      run.finished = true;
      continue;
    }
    if (event == "suiteStarted") {
      RecordedSuite& s = open[name];
      s = RecordedSuite{};
      s.info = {name, str(*o, "path"), strings(*o, "tests"),
                strings(*o, "nodes")};
      continue;
    }
    auto found = open.find(name);
    if (found == open.end())
      return invalid(
          fmt::format("line {}: event `{}` of suite `{}` that did "
                      "not start",
                      lineNo, event, name));
    RecordedSuite& s = found->second;
    auto& events = s.events;
    std::string test = str(*o, "test");
    if (event == "suiteFinished") {
      const json::Object* result = o->getObject("result");
      if (!result) return invalid(fmt::format("line {}: no result", lineNo));
      s.result = suite(*result);
      run.suites.push_back(std::move(s));
      open.erase(found);
    } else if (event == "testStarted") {
      events.push_back(
          [test](Reporter& r, const SuiteInfo& i) { r.testStarted(i, test); });
    } else if (event == "log") {
      std::string message = str(*o, "message");
      events.push_back([test, message](Reporter& r, const SuiteInfo& i) {
        r.log(i, test, message);
      });
    } else if (event == "subtestFinished" || event == "testFinished") {
      const json::Object* result = o->getObject("result");
      if (!result) return invalid(fmt::format("line {}: no result", lineNo));
      if (event == "testFinished") {
        TestResult t = report::test(*result);
        events.push_back(
            [t](Reporter& r, const SuiteInfo& i) { r.testFinished(i, t); });
      } else {
        SubtestResult sub = subtest(*result);
        events.push_back([test, sub](Reporter& r, const SuiteInfo& i) {
          r.subtestFinished(i, test, sub);
        });
      }
    } else if (event == "nodeChanged") {
      NodeEvent e{str(*o, "node"), phase(str(*o, "phase")), number(*o, "atMs"),
                  str(*o, "detail"), str(*o, "backend")};
      events.push_back(
          [e](Reporter& r, const SuiteInfo& i) { r.nodeChanged(i, e); });
    } else if (event == "stepStarted") {
      StepInfo info = step(*o);
      events.push_back(
          [info](Reporter& r, const SuiteInfo& i) { r.stepStarted(i, info); });
    } else if (event == "stepFinished") {
      StepResult result{step(*o), status(*o), number(*o, "durationMs")};
      events.push_back([result](Reporter& r, const SuiteInfo& i) {
        r.stepFinished(i, result);
      });
    } else if (event == "consoleLine") {
      std::string node = str(*o, "node"), text = str(*o, "line");
      double at = number(*o, "atMs");
      events.push_back([node, text, at](Reporter& r, const SuiteInfo& i) {
        r.consoleLine(i, node, text, at);
      });
    }
    // Unknown events are skipped: a newer rig may add some.
  }
  return run;
}

}  // namespace

llvm::Expected<RecordedRun> readRecordedRun(llvm::StringRef text) {
  llvm::StringRef first = text.ltrim().split('\n').first;
  // An event stream's first line is a whole object with "event"; a JSON
  // report spans lines (or is one object without "event").
  if (auto line = json::parse(first)) {
    if (const json::Object* o = line->getAsObject(); o && o->get("event"))
      return readEvents(text);
  } else {
    llvm::consumeError(line.takeError());
  }
  llvm::Expected<json::Value> doc = json::parse(text);
  if (!doc)
    return invalid("neither a rig JSON report nor an event stream: " +
                   llvm::toString(doc.takeError()));
  const json::Object* o = doc->getAsObject();
  if (!o || str(*o, "tool") != "rig")
    return invalid("not a rig JSON report (no \"tool\": \"rig\")");
  return readJsonReport(*o);
}

llvm::Expected<RecordedRun> readRecordedRunFile(const std::string& path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return invalid(
        fmt::format("cannot read {}: {}", path, buffer.getError().message()));
  llvm::Expected<RecordedRun> run = readRecordedRun((*buffer)->getBuffer());
  if (!run)
    return invalid(
        fmt::format("{}: {}", path, llvm::toString(run.takeError())));
  return run;
}

void replaySuite(const RecordedSuite& suite, Reporter& sink) {
  sink.suiteStarted(suite.info);
  if (!suite.events.empty()) {
    for (const auto& event : suite.events) event(sink, suite.info);
  } else {
    for (const TestResult& t : suite.result.tests) {
      sink.testStarted(suite.info, t.name);
      sink.testFinished(suite.info, t);
    }
  }
  sink.suiteFinished(suite.result);
}

}  // namespace rig::report
