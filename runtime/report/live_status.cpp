#include "runtime/report/live_status.h"

#include <algorithm>

#include "fmt/format.h"
#include "runtime/report/plain_text.h"

namespace rig::report {
namespace {

std::string elapsed(double ms) {
  return fmt::format("{:.1f}s", std::max(0.0, ms) / 1000.0);
}

std::string keyOf(llvm::StringRef path, llvm::StringRef name) {
  return (path.empty() ? name : path).str();
}

// A line of the block as pieces of text with an SGR colour each ("" none),
// so that it can be cut to the width without cutting an escape sequence.
struct Span {
  std::string text;
  const char* sgr = "";
};
using Line = std::vector<Span>;

std::string draw(const Line& line, size_t columns, bool color) {
  std::string out;
  size_t left = columns;
  for (const Span& span : line) {
    if (left == 0) break;
    llvm::StringRef text = fitColumns(span.text, left);
    left -= displayWidth(text);
    if (color && *span.sgr)
      out += fmt::format("\x1b[{}m{}\x1b[0m", span.sgr, text.str());
    else
      out += text.str();
  }
  return out;
}

}  // namespace

LiveStatus::RunningSuite* LiveStatus::find(const SuiteInfo& suite) {
  std::string key = keyOf(suite.path, suite.name);
  for (RunningSuite& s : suites_)
    if (s.key == key) return &s;
  return nullptr;
}

void LiveStatus::suiteStarted(const SuiteInfo& suite, double now) {
  RunningSuite s;
  s.key = keyOf(suite.path, suite.name);
  s.name = suite.name;
  s.tests = suite.tests.size();
  s.startedMs = now;
  for (const std::string& node : suite.nodes) s.nodes.push_back({node});
  suites_.push_back(std::move(s));
}

void LiveStatus::testStarted(const SuiteInfo& suite, llvm::StringRef test,
                             double now) {
  if (RunningSuite* s = find(suite)) {
    s->test = test.str();
    s->testStartedMs = now;
    s->steps.clear();
  }
}

void LiveStatus::testFinished(const SuiteInfo& suite) {
  if (RunningSuite* s = find(suite)) {
    s->test.clear();
    s->steps.clear();
    ++s->done;
  }
}

void LiveStatus::nodeChanged(const SuiteInfo& suite, const NodeEvent& event,
                             double now) {
  RunningSuite* s = find(suite);
  if (!s) return;
  auto it =
      std::find_if(s->nodes.begin(), s->nodes.end(),
                   [&](const NodeState& n) { return n.name == event.node; });
  if (it == s->nodes.end())
    it = s->nodes.insert(s->nodes.end(), NodeState{event.node});
  it->seen = true;
  it->phase = event.phase;
  it->sinceMs = now;
}

void LiveStatus::stepStarted(const SuiteInfo& suite, const StepInfo& step,
                             double now) {
  if (RunningSuite* s = find(suite)) s->steps.push_back({step, now});
}

// Steps nest like statements; a finished step also ends any inner step
// whose end was not reported (a failure unwinds them).
void LiveStatus::stepFinished(const SuiteInfo& suite, const StepResult& done) {
  RunningSuite* s = find(suite);
  if (!s) return;
  for (size_t i = s->steps.size(); i-- > 0;) {
    const StepInfo& step = s->steps[i].step;
    if (step.startMs == done.step.startMs && step.text == done.step.text &&
        step.location == done.step.location) {
      s->steps.resize(i);
      return;
    }
  }
}

void LiveStatus::suiteFinished(llvm::StringRef path, llvm::StringRef name) {
  std::string key = keyOf(path, name);
  suites_.erase(
      std::remove_if(suites_.begin(), suites_.end(),
                     [&](const RunningSuite& s) { return s.key == key; }),
      suites_.end());
}

std::vector<std::string> LiveStatus::render(double now, TerminalSize size,
                                            bool color) const {
  size_t columns = size.columns > 1 ? size.columns - 1 : 1;
  size_t rows = size.rows > 1 ? size.rows - 1 : 1;
  std::vector<std::vector<Line>> blocks;
  for (const RunningSuite& s : suites_) {
    std::vector<Line> lines;
    Line head{{s.name, "1"}};
    if (s.test.empty() && s.done == 0) {
      head.push_back({" " + elapsed(now - s.startedMs) + " starting"});
    } else if (s.test.empty()) {  // between tests, or ending: the suite's time
      head.push_back({fmt::format(" [{}/{}]", s.done, s.tests), "2"});
      head.push_back({" " + elapsed(now - s.startedMs)});
    } else {
      head.push_back({fmt::format(" [{}/{}]", s.done + 1, s.tests), "2"});
      head.push_back({" " + elapsed(now - s.testStartedMs) + " " + s.test});
    }
    lines.push_back(std::move(head));

    Line nodes;
    for (const NodeState& n : s.nodes) {
      if (!n.seen) continue;
      nodes.push_back({nodes.empty() ? "  nodes: " : ", "});
      nodes.push_back({n.name + " "});
      switch (n.phase) {
        case NodePhase::Booting:
          nodes.push_back({"booting " + elapsed(now - n.sinceMs), "33"});
          break;
        case NodePhase::Ready: nodes.push_back({"ready", "32"}); break;
        case NodePhase::Stopped: nodes.push_back({"stopped", "2"}); break;
        case NodePhase::Failed: nodes.push_back({"failed", "31"}); break;
      }
    }
    if (!nodes.empty()) lines.push_back(std::move(nodes));

    if (!s.steps.empty()) {
      const RunningStep& step = s.steps.back();
      lines.push_back({{"  " + elapsed(now - step.startedMs) + " ", "2"},
                       {step.step.text}});
    }
    blocks.push_back(std::move(lines));
  }

  // Whole suites while they fit; then one line for the others.
  std::vector<std::string> out;
  for (size_t i = 0; i < blocks.size(); ++i) {
    bool last = i + 1 == blocks.size();
    size_t room = rows - out.size() - (last ? 0 : 1);
    if (blocks[i].size() > room) {
      Line more{{fmt::format("+{} more suite{} running", blocks.size() - i,
                             blocks.size() - i == 1 ? "" : "s"),
                 "2"}};
      if (out.size() < rows) out.push_back(draw(more, columns, color));
      break;
    }
    for (const Line& line : blocks[i])
      out.push_back(draw(line, columns, color));
  }
  return out;
}

}  // namespace rig::report
