// The HTML report (`--html FILE`, docs/reports.md): one self-contained page
// written when the run ends, from every event of the run: the summary, per
// suite a timeline (html_timeline.cpp), the tests with their steps and
// failures, and each node's whole console, searchable.
#include <memory>

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/report/html.h"
#include "runtime/report/reporter.h"

namespace rig::report {

using html::escape;
using html::formatMs;

namespace {

const char* statusClass(Status status) {
  return statusName(status).data();  // "passed", ... are literals
}

// The details of a failure; a unified diff in them is coloured.
std::string renderDetails(llvm::StringRef details) {
  llvm::SmallVector<llvm::StringRef, 32> lines;
  details.split(lines, '\n');
  bool inDiff = false;
  std::string out = "<pre class=\"diff\">";
  for (size_t i = 0; i < lines.size(); ++i) {
    llvm::StringRef line = lines[i];
    if (line.startswith("--- ") && i + 1 < lines.size() &&
        lines[i + 1].startswith("+++ "))
      inDiff = true;
    const char* cls = nullptr;
    if (inDiff && line.startswith("@@"))
      cls = "hunk";
    else if (inDiff && line.startswith("+") && !line.startswith("+++ "))
      cls = "add";
    else if (inDiff && line.startswith("-") && !line.startswith("--- "))
      cls = "del";
    if (cls) {
      out += fmt::format("<span class=\"{}\">{}</span>", cls, escape(line));
    } else {
      out += escape(line);
      if (i + 1 < lines.size()) out += "\n";
    }
  }
  return out + "</pre>\n";
}

std::string renderFailureBlock(const Failure& f, Status status) {
  std::string out = fmt::format("<div class=\"failure{}\">\n",
                                status == Status::Error ? " error" : "");
  out += fmt::format("<div class=\"message\">{}</div>\n", escape(f.message));
  if (!f.location.empty())
    out += fmt::format("<div class=\"where mono\">at {}</div>\n",
                       escape(f.location));
  if (!f.snippet.empty())
    out += fmt::format("<pre class=\"snippet\">{}</pre>\n", escape(f.snippet));
  if (!f.details.empty()) out += renderDetails(f.details);
  for (const std::string& caller : f.callers)
    out += fmt::format("<div class=\"where mono\">{}</div>\n", escape(caller));
  for (const ConsoleTail& c : f.consoles)
    out += fmt::format(
        "<div class=\"muted\">console of <b>{}</b> (last lines)</div>\n"
        "<pre class=\"tail\">{}</pre>\n",
        escape(c.machine), escape(llvm::StringRef(c.text).rtrim('\n')));
  return out + "</div>\n";
}

std::string renderSteps(const html::SuiteRecord& suite, llvm::StringRef test) {
  std::string rows;
  for (size_t i = 0; i < suite.steps.size(); ++i) {
    const html::Step& s = suite.steps[i];
    if (s.info.test != test) continue;
    bool retried = html::retried(suite, i);
    const char* cls = !s.finished ? "running"
                      : retried   ? "retried"
                                  : statusClass(s.status);
    llvm::StringRef icon = !s.finished ? "\u2026"
                           : retried   ? "\u21BB"
                                       : html::statusIcon(s.status);
    std::string title = !s.finished ? "did not finish"
                        : retried   ? "failed, then the eventually block "
                                      "passed on a later attempt"
                                    : std::string(statusName(s.status));
    rows += fmt::format(
        "<tr class=\"{}{}\"><td><span class=\"icon {}\" title=\"{}\">{}"
        "</span></td><td class=\"text\" style=\"padding-left:{}px\">{}</td>"
        "<td class=\"node\">{}</td><td class=\"loc\">{}</td>"
        "<td class=\"dur\">{}</td></tr>\n",
        cls, s.info.wait ? " wait" : "", cls, title, icon.str(),
        6 + 18 * s.depth, escape(s.info.text), escape(s.info.node),
        escape(s.info.location), s.finished ? formatMs(s.durationMs) : "");
  }
  if (rows.empty()) return "";
  return "<h3>Steps</h3>\n<table class=\"steps\">\n" + rows + "</table>\n";
}

std::string renderTest(const html::SuiteRecord& suite, const TestResult& t,
                       size_t suiteIndex, size_t testIndex) {
  const char* cls = statusClass(t.status);
  bool bad = t.status == Status::Failed || t.status == Status::Error;
  std::string out = fmt::format(
      "<details class=\"test {}\" id=\"{}\"{}>\n<summary><span class=\"icon "
      "{}\">{}</span><span class=\"name\">{}</span><span class=\"pill {}\">{}"
      "</span><span class=\"dur\">{}</span></summary>\n<div class=\"body\">\n",
      cls, html::testId(suiteIndex, testIndex), bad ? " open" : "", cls,
      html::statusIcon(t.status).str(), escape(t.name), cls, cls,
      t.status == Status::Skipped ? "" : formatMs(t.durationMs));
  if (t.status == Status::Skipped)
    out +=
        "<p class=\"muted\">Not run: an earlier test failed (run with "
        "<code>--keep-going</code> to run every test).</p>\n";
  if (t.failure) out += renderFailureBlock(*t.failure, t.status);
  if (!t.subtests.empty()) {
    out += "<h3>Subtests</h3>\n";
    for (const SubtestResult& s : t.subtests) {
      const char* scls = statusClass(s.status);
      out += fmt::format(
          "<div><span class=\"icon {}\">{}</span> {} <span class=\"dur\">{}"
          "</span></div>\n",
          scls, html::statusIcon(s.status).str(), escape(s.name),
          formatMs(s.durationMs));
      if (s.failure) out += renderFailureBlock(*s.failure, s.status);
    }
  }
  if (!t.log.empty()) {
    out += "<h3>Log</h3>\n<ul class=\"log\">\n";
    for (const std::string& line : t.log)
      out += "<li class=\"mono\">" + escape(line) + "</li>\n";
    out += "</ul>\n";
  }
  out += renderSteps(suite, t.name);
  return out + "</div>\n</details>\n";
}

std::string renderConsoles(const html::SuiteRecord& suite, size_t suiteIndex) {
  std::vector<std::string> nodes = suite.nodeOrder();
  double origin = html::firstEventMs(suite).value_or(0);
  std::string out;
  for (size_t i = 0; i < nodes.size(); ++i) {
    auto it = suite.consoles.find(nodes[i]);
    if (it == suite.consoles.end()) continue;
    const std::vector<html::ConsoleLine>& lines = it->second;
    out += fmt::format(
        "<details class=\"console\" id=\"{}\">\n<summary>{} <span "
        "class=\"muted\">\u00B7 {} lines</span></summary>\n<div "
        "class=\"tools\"><input type=\"search\" placeholder=\"Search the "
        "console of {}\" aria-label=\"search the console of {}\"><span "
        "class=\"shown muted\">{} lines</span></div>\n<div class=\"lines "
        "mono\">\n",
        html::consoleId(suiteIndex, i), escape(nodes[i]), lines.size(),
        escape(nodes[i]), escape(nodes[i]), lines.size());
    for (const html::ConsoleLine& line : lines)
      out += fmt::format(
          "<span class=\"ln\"><span class=\"t\">{:.1f}</span><span "
          "class=\"x\">{}</span></span>\n",
          (line.atMs - origin) / 1000, escape(line.text, false));
    out += "</div>\n</details>\n";
  }
  if (out.empty()) return "";
  return "<h3>Consoles</h3>\n<p class=\"muted\">Each node's serial console "
         "(kernel, systemd, the services' journal); times in seconds since "
         "the suite's first event.</p>\n" +
         out;
}

std::string renderSuite(const html::SuiteRecord& suite, const SuiteResult& r,
                        size_t index) {
  Counts c = countTests(r);
  const char* cls = statusClass(r.status);
  std::string out = fmt::format(
      "<section class=\"suite\" id=\"s{}\">\n<h2><span class=\"pill {}\">{}"
      "</span>{}<span class=\"dur\">{}</span></h2>\n<div class=\"path "
      "mono\">{}</div>\n<div class=\"muted\">{} passed, {} failed, {} "
      "skipped, {} errors</div>\n",
      index, cls, cls, escape(r.name), formatMs(r.durationMs), escape(r.path),
      c.passed, c.failed, c.skipped, c.errors);
  if (r.error) out += renderFailureBlock(*r.error, r.status);
  std::string timeline = html::renderTimeline(suite, r, index);
  if (!timeline.empty()) {
    out += "<h3>Timeline</h3>\n<div class=\"timeline\">\n" + timeline +
           "</div>\n<div class=\"legend\">"
           "<span><i style=\"background:#8c959f\"></i>boot</span>"
           "<span><i style=\"background:#1a7f37;height:3px\"></i>node up</span>"
           "<span><i style=\"background:#2f6feb\"></i>command</span>"
           "<span><i style=\"background:repeating-linear-gradient(45deg,"
           "#d4a72c 0 3px,#f2e3b3 3px 6px)\"></i>wait</span>"
           "<span><i style=\"background:#cf222e\"></i>failed</span>"
           "<span>hover a bar for its source; click a node's name for its "
           "console</span></div>\n";
  }
  if (!r.tests.empty()) {
    out += "<h3>Tests</h3>\n";
    for (size_t i = 0; i < r.tests.size(); ++i)
      out += renderTest(suite, r.tests[i], index, i);
  }
  out += renderConsoles(suite, index);
  return out + "</section>\n";
}

class HtmlReporter : public Reporter {
 public:
  explicit HtmlReporter(std::string path) : path_(std::move(path)) {}
  explicit HtmlReporter(llvm::raw_ostream& out) : out_(&out) {}

  void suiteStarted(const SuiteInfo& suite) override {
    record(suite).info = suite;
  }
  void nodeChanged(const SuiteInfo& suite, const NodeEvent& event) override {
    record(suite).nodeEvents.push_back(event);
  }
  void stepStarted(const SuiteInfo& suite, const StepInfo& step) override {
    html::SuiteRecord& r = record(suite);
    html::Step s;
    s.info = step;
    s.depth = r.open.size();
    if (!r.open.empty()) {
      s.parent = r.open.back();
      r.steps[r.open.back()].hasChildren = true;
    }
    r.open.push_back(r.steps.size());
    r.steps.push_back(std::move(s));
  }
  void stepFinished(const SuiteInfo& suite, const StepResult& step) override {
    html::SuiteRecord& r = record(suite);
    // Steps nest, so this is the innermost open one; match to be sure.
    for (size_t k = r.open.size(); k-- > 0;) {
      html::Step& s = r.steps[r.open[k]];
      if (s.info.text != step.step.text || s.info.startMs != step.step.startMs)
        continue;
      s.status = step.status;
      s.durationMs = step.durationMs;
      s.finished = true;
      r.open.resize(k);
      return;
    }
  }
  void consoleLine(const SuiteInfo& suite, llvm::StringRef node,
                   llvm::StringRef line, double atMs) override {
    record(suite).consoles[node.str()].push_back({atMs, line.str()});
  }
  void runFinished(const RunSummary& run) override { page_ = renderPage(run); }

  llvm::Error finish() override {
    if (out_) {
      *out_ << page_;
      out_->flush();
      return llvm::Error::success();
    }
    return writeReportFile(path_, page_, "HTML report");
  }

 private:
  html::SuiteRecord& record(const SuiteInfo& suite) {
    return recordFor(suite.path, suite.name);
  }
  html::SuiteRecord& recordFor(const std::string& path,
                               const std::string& name) {
    auto& slot = records_[path + '\n' + name];
    if (!slot) {
      slot = std::make_unique<html::SuiteRecord>();
      slot->info.name = name;
      slot->info.path = path;
    }
    return *slot;
  }

  std::string renderPage(const RunSummary& run) {
    Counts c = countTests(run);
    int code = exitCode(run);
    const char* cls = run.interrupted ? "error"
                      : code == 0     ? "passed"
                      : code == 1     ? "failed"
                                      : "error";
    std::string title =
        run.interrupted ? fmt::format("rig: interrupted, {} failed, {} passed",
                                      c.failed, c.passed)
        : code == 0     ? fmt::format("rig: {} passed", c.passed)
        : code == 1
            ? fmt::format("rig: {} failed, {} passed", c.failed, c.passed)
            : fmt::format(
                  "rig: infrastructure error, {} failed, {} "
                  "passed",
                  c.failed, c.passed);
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n<meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n"
        "<style>\n{}</style>\n</head>\n<body>\n<main>\n",
        escape(title), html::pageStyle());
    const char* verdict = run.interrupted ? "\u26A0 rig run interrupted"
                          : code == 0     ? "\u2714 rig run passed"
                          : code == 1     ? "\u2718 rig run failed"
                                      : "\u26A0 rig run: infrastructure error";
    out += fmt::format(
        "<header class=\"run {}\" id=\"summary\">\n<div><h1>{}</h1><div>exit "
        "status {} \u00B7 {} suite{} \u00B7 {}</div></div>\n<div "
        "class=\"counts\">",
        cls, verdict, code, run.suites.size(),
        run.suites.size() == 1 ? "" : "s", formatMs(run.durationMs));
    for (auto [n, what] :
         {std::pair{c.passed, "passed"}, std::pair{c.failed, "failed"},
          std::pair{c.skipped, "skipped"}, std::pair{c.errors, "errors"}})
      out += fmt::format("<div class=\"count\"><b>{}</b>{}</div>", n, what);
    out += "</div>\n</header>\n";
    for (size_t i = 0; i < run.suites.size(); ++i) {
      const SuiteResult& r = run.suites[i];
      out += renderSuite(recordFor(r.path, r.name), r, i);
    }
    out += fmt::format(
        "<p class=\"muted\">Written by rig at the end of the "
        "run; this page loads nothing from the network.</p>\n"
        "</main>\n<script>\n{}</script>\n</body>\n</html>\n",
        html::pageScript());
    return out;
  }

  std::string path_;
  llvm::raw_ostream* out_ = nullptr;
  std::map<std::string, std::unique_ptr<html::SuiteRecord>> records_;
  std::string page_;
};

}  // namespace

std::unique_ptr<Reporter> makeHtmlReporter(std::string path) {
  return std::make_unique<HtmlReporter>(std::move(path));
}
std::unique_ptr<Reporter> makeHtmlReporter(llvm::raw_ostream& out) {
  return std::make_unique<HtmlReporter>(out);
}

}  // namespace rig::report
