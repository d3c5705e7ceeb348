// The timeline of a suite as inline SVG (docs/reports.md, "Reading the
// timeline"): time runs left to right from the suite's first event; the top
// row holds the tests; below it one lane per node: a grey bar while it boots,
// a thin line while it is up, and its steps (blue commands, striped amber
// waits, red failures); a last lane holds the steps that drive no node.
#include <algorithm>
#include <cmath>

#include "fmt/format.h"
#include "runtime/report/html.h"
#include "runtime/support/utf8.h"

namespace rig::report::html {

namespace {

constexpr double kWidth = 1000, kLabels = 118, kRight = 14;
constexpr double kTestsY = 6, kTestsH = 20, kLanesY = 34, kLaneH = 34;
constexpr double kCharW = 5.9;  // of 10px text, for fitting labels in bars

struct Scale {
  double t0 = 0, t1 = 1;
  double x(double t) const {
    return kLabels + (t - t0) / (t1 - t0) * (kWidth - kLabels - kRight);
  }
};

// `text` cut to fit `width` (in SVG units), "" when nothing would fit.
std::string fit(const std::string& text, double width) {
  auto chars = static_cast<size_t>(std::max(0.0, (width - 8) / kCharW));
  if (chars < 4) return "";
  if (utf8::codePointCount(text) <= chars) return text;
  return utf8::takeCodePoints(text, chars - 1).str() + "\u2026";
}

std::string rect(double x, double y, double w, double h,
                 const std::string& attrs, const std::string& title) {
  return fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
      "{}><title>{}</title></rect>\n",
      x, y, std::max(w, 1.5), h, attrs, escape(title));
}

std::string label(double x, double y, const std::string& text,
                  const std::string& attrs) {
  if (text.empty()) return "";
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" {}>{}</text>\n", x, y,
                     attrs, escape(text, false));
}

// A tick every 1, 2 or 5 times a power of ten milliseconds, about 8 in all.
double tickStep(double span) {
  double raw = std::max(span / 8, 1.0);
  double power = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) return m * power;
  return 10 * power;
}

std::string tickLabel(double ms) {
  if (ms == 0) return "0";
  if (ms < 1000) return fmt::format("{:g} ms", ms);
  return fmt::format("{:g} s", ms / 1000);
}

bool isEventually(const Step& s) {
  return llvm::StringRef(s.info.text).startswith("eventually");
}

bool insideEventually(const SuiteRecord& suite, const Step& s) {
  for (auto p = s.parent; p; p = suite.steps[*p].parent)
    if (isEventually(suite.steps[*p])) return true;
  return false;
}

std::string stepTitle(const Step& s) {
  std::string title = s.info.text;
  if (!s.info.node.empty()) title += "\nnode: " + s.info.node;
  if (!s.info.location.empty()) title += "\nat " + s.info.location;
  title += "\n" + std::string(statusName(s.status)) + " after " +
           formatMs(s.durationMs);
  if (s.info.wait) title += " (waiting)";
  return title;
}

}  // namespace

std::string renderTimeline(const SuiteRecord& suite, const SuiteResult& result,
                           size_t suiteIndex) {
  // The span: every event the suite reported, and its tests' ends.
  std::optional<double> first = firstEventMs(suite);
  if (!first) return "";  // nothing happened in time
  double t0 = *first, t1 = *first;
  auto see = [&](double t) { t1 = std::max(t1, t); };
  for (const NodeEvent& e : suite.nodeEvents) see(e.atMs);
  for (const Step& s : suite.steps)
    if (s.finished) see(s.endMs());
  for (const auto& [node, lines] : suite.consoles)
    for (const ConsoleLine& line : lines) see(line.atMs);

  // Tests start with their first step and last their reported duration.
  std::map<std::string, double> testStart;
  for (const Step& s : suite.steps)
    if (!testStart.count(s.info.test)) testStart[s.info.test] = s.info.startMs;
  for (const TestResult& t : result.tests) {
    auto it = testStart.find(t.name);
    if (it != testStart.end()) see(it->second + t.durationMs);
  }
  if (t1 - t0 < 1) t1 = t0 + 1;
  Scale scale{t0, t1};

  std::vector<std::string> lanes = suite.nodeOrder();
  std::vector<size_t> drawn;  // steps on the lanes
  // Steps with steps inside (a fn call, a subtest) on one node: a pale bar
  // under their children, so that their own time shows too.
  std::vector<size_t> under;
  bool noNodeLane = false;
  for (size_t i = 0; i < suite.steps.size(); ++i) {
    const Step& s = suite.steps[i];
    if (insideEventually(suite, s)) continue;
    if (s.hasChildren && !isEventually(s)) {
      if (!s.info.node.empty()) under.push_back(i);
      continue;
    }
    drawn.push_back(i);
    if (s.info.node.empty()) noNodeLane = true;
  }
  size_t laneCount = lanes.size() + (noNodeLane ? 1 : 0);
  double lanesEnd = kLanesY + kLaneH * static_cast<double>(laneCount);
  double height = lanesEnd + 26;
  std::string stripes = fmt::format("wait{}", suiteIndex);
  std::string redStripes = fmt::format("waitfail{}", suiteIndex);

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:.0f} {:.0f}\" "
      "role=\"img\" aria-label=\"timeline of {}\">\n<defs>\n",
      kWidth, height, escape(suite.info.name));
  for (auto [id, color] :
       {std::pair{stripes, "#d4a72c"}, std::pair{redStripes, "#cf222e"}})
    svg += fmt::format(
        "<pattern id=\"{}\" width=\"6\" height=\"6\" "
        "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        "<rect width=\"6\" height=\"6\" fill=\"{}\" fill-opacity=\"0.35\"/>"
        "<rect width=\"3\" height=\"6\" fill=\"{}\"/></pattern>\n",
        id, color, color);
  svg += "</defs>\n";

  // Grid and axis.
  double step = tickStep(t1 - t0);
  for (double t = 0; t <= t1 - t0 + 1e-6; t += step) {
    double x = scale.x(t0 + t);
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
        "stroke=\"#eaeef2\"/>\n",
        x, kTestsY, lanesEnd + 4);
    svg += label(x, lanesEnd + 17, tickLabel(t),
                 "font-size=\"10\" fill=\"#57606a\" text-anchor=\"middle\"");
  }
  svg += fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
      "stroke=\"#8c959f\"/>\n",
      kLabels, lanesEnd + 4, kWidth - kRight, lanesEnd + 4);

  // Lane backgrounds and names; a node's name opens its console.
  svg += label(6, kTestsY + 14, "tests",
               "font-size=\"11\" font-weight=\"600\" fill=\"#57606a\"");
  for (size_t i = 0; i < laneCount; ++i) {
    double y = kLanesY + kLaneH * static_cast<double>(i);
    svg += fmt::format(
        "<rect x=\"0\" y=\"{:.1f}\" width=\"{:.0f}\" height=\"{:.0f}\" "
        "fill=\"{}\"/>\n",
        y, kWidth, kLaneH, i % 2 ? "#ffffff" : "#f6f8fa");
    if (i < lanes.size()) {
      bool hasConsole = suite.consoles.count(lanes[i]) > 0;
      std::string name = fit(lanes[i], kLabels + 20);
      // Under the name, the backend the node booted on (its last boot's).
      std::string backend;
      for (const NodeEvent& e : suite.nodeEvents)
        if (e.node == lanes[i] && !e.backend.empty()) backend = e.backend;
      std::string text = label(6, y + (backend.empty() ? 21 : 18), name,
                               "font-size=\"12\" font-weight=\"600\" "
                               "fill=\"#1f2328\"");
      svg += hasConsole
                 ? fmt::format("<a href=\"#{}\" class=\"lane-console\">{}</a>",
                               consoleId(suiteIndex, i), text)
                 : text;
      if (!backend.empty())
        svg += label(6, y + 30, backend == "vm" ? "VM" : backend,
                     "font-size=\"9\" fill=\"#57606a\" "
                     "class=\"lane-backend\"");
    } else {
      svg += label(6, y + 21, "(no node)",
                   "font-size=\"11\" font-style=\"italic\" fill=\"#57606a\"");
    }
  }

  // Tests.
  for (size_t i = 0; i < result.tests.size(); ++i) {
    const TestResult& t = result.tests[i];
    auto it = testStart.find(t.name);
    if (it == testStart.end()) continue;
    double x = scale.x(it->second), w = scale.x(it->second + t.durationMs) - x;
    const char* fill = t.status == Status::Passed   ? "#1a7f37"
                       : t.status == Status::Failed ? "#cf222e"
                       : t.status == Status::Error  ? "#8250df"
                                                    : "#8c959f";
    svg += fmt::format("<a href=\"#{}\">", testId(suiteIndex, i));
    svg +=
        rect(x, kTestsY, w, kTestsH, fmt::format("fill=\"{}\" rx=\"3\"", fill),
             t.name + "\n" + std::string(statusName(t.status)) + ", " +
                 formatMs(t.durationMs));
    svg += label(x + 4, kTestsY + 14, fit(t.name, w),
                 "font-size=\"10\" fill=\"#fff\" pointer-events=\"none\"");
    svg += "</a>\n";
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
        "stroke=\"#afb8c1\" stroke-dasharray=\"2 3\"/>\n",
        x, kLanesY, lanesEnd);
  }

  // Node phases: boot (booting -> ready), up (ready -> stopped or the end),
  // a failed boot or a death in red.
  for (size_t i = 0; i < lanes.size(); ++i) {
    double y = kLanesY + kLaneH * static_cast<double>(i) + 3;
    // NaN: not booting / not up (std::optional trips GCC 12's
    // -Wmaybe-uninitialized here).
    double booting = NAN, up = NAN;
    auto bootBar = [&](double from, double to, bool failed,
                       const std::string& why) {
      double x = scale.x(from), w = scale.x(to) - x;
      svg += rect(
          x, y, w, 10,
          fmt::format("fill=\"{}\" rx=\"2\"", failed ? "#cf222e" : "#8c959f"),
          lanes[i] + (failed ? ": did not boot" : ": booting") + " for " +
              formatMs(to - from) + (why.empty() ? "" : "\n" + why));
      svg += label(x + 3, y + 8.5, fit("boot " + formatMs(to - from), w),
                   "font-size=\"9\" fill=\"#fff\" pointer-events=\"none\"");
    };
    auto upLine = [&](double from, double to) {
      double x = scale.x(from);
      svg += rect(x, y + 4, scale.x(to) - x, 2.5, "fill=\"#1a7f37\"",
                  lanes[i] + ": up for " + formatMs(to - from));
    };
    for (const NodeEvent& e : suite.nodeEvents) {
      if (e.node != lanes[i]) continue;
      switch (e.phase) {
        case NodePhase::Booting: booting = e.atMs; break;
        case NodePhase::Ready:
          if (!std::isnan(booting)) bootBar(booting, e.atMs, false, "");
          booting = NAN;
          up = e.atMs;
          break;
        case NodePhase::Stopped:
          if (!std::isnan(booting)) bootBar(booting, e.atMs, false, "");
          if (!std::isnan(up)) upLine(up, e.atMs);
          booting = up = NAN;
          break;
        case NodePhase::Failed:
          if (!std::isnan(booting)) bootBar(booting, e.atMs, true, e.detail);
          if (!std::isnan(up)) {
            upLine(up, e.atMs);
            double x = scale.x(e.atMs);
            svg += rect(x - 2, y - 1, 4, 12, "fill=\"#cf222e\"",
                        lanes[i] + ": died" +
                            (e.detail.empty() ? "" : ": " + e.detail));
          }
          booting = up = NAN;
          break;
      }
    }
    if (!std::isnan(booting)) bootBar(booting, t1, false, "");
    if (!std::isnan(up)) upLine(up, t1);
  }

  // Steps.
  auto laneY = [&](const Step& s) {
    auto lane = std::find(lanes.begin(), lanes.end(), s.info.node);
    size_t i = s.info.node.empty() ? lanes.size()
                                   : static_cast<size_t>(lane - lanes.begin());
    return kLanesY + kLaneH * static_cast<double>(i) + 15;
  };
  for (size_t index : under) {
    const Step& s = suite.steps[index];
    double end = s.finished ? s.endMs() : t1;
    double x = scale.x(s.info.startMs), w = scale.x(end) - x;
    bool bad = s.status == Status::Failed || s.status == Status::Error;
    svg += rect(x, laneY(s), w, 16,
                fmt::format("class=\"step outer\" fill=\"{}\" "
                            "fill-opacity=\"0.28\" rx=\"2\"",
                            bad ? "#cf222e" : "#2f6feb"),
                stepTitle(s));
  }
  for (size_t index : drawn) {
    const Step& s = suite.steps[index];
    double y = laneY(s);
    double end = s.finished ? s.endMs() : t1;
    // A step that booted its node (the first operation on it) starts, in
    // the picture, when the node is ready: the boot bar above shows the
    // rest, and the step's own time stays visible.
    double start = s.info.startMs;
    for (const NodeEvent& e : suite.nodeEvents)
      if (e.node == s.info.node && e.phase == NodePhase::Ready &&
          e.atMs > start && e.atMs < end)
        start = e.atMs;
    double x = scale.x(start), w = scale.x(end) - x;
    bool bad = s.status == Status::Failed || s.status == Status::Error;
    std::string fill = s.info.wait
                           ? fmt::format("url(#{})", bad ? redStripes : stripes)
                       : s.status == Status::Error ? "#8250df"
                       : bad                       ? "#cf222e"
                                                   : "#2f6feb";
    std::string cls =
        std::string(s.info.wait ? "step wait" : "step") + (bad ? " bad" : "");
    svg += rect(x, y, w, 16,
                fmt::format("class=\"{}\" fill=\"{}\" rx=\"2\"", cls, fill),
                stepTitle(s));
    if (!s.info.wait)
      svg += label(x + 3, y + 11.5, fit(s.info.text, w),
                   "font-size=\"10\" fill=\"#fff\" pointer-events=\"none\"");
    else
      svg += label(x + 3, y + 11.5, fit(s.info.text, w),
                   "font-size=\"10\" fill=\"#3d2e00\" pointer-events=\"none\"");
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace rig::report::html
