// Text helpers of the HTML report and its inline style and script (the page
// is one self-contained file: nothing is loaded from anywhere).
#include <set>

#include "fmt/format.h"
#include "runtime/report/html.h"
#include "runtime/report/plain_text.h"

namespace rig::report::html {

std::string escape(llvm::StringRef s, bool keepNewlines) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '&': out += "&amp;"; continue;
        case '<': out += "&lt;"; continue;
        case '>': out += "&gt;"; continue;
        case '"': out += "&quot;"; continue;
        case '\'': out += "&#39;"; continue;
        case '\t': out += '\t'; continue;
        case '\r': continue;  // serial line ends and progress redraws
        case '\n':
          out += keepNewlines ? "\n" : "\u2424";
          continue;
        case 0x1b:
          i += escapeLength(s, i - 1) - 1;
          continue;
        case 0x7f: out += "\u2421"; continue;
        default:
          break;
      }
      if (c < 0x20) {
        // U+2400 + c: the control pictures block.
        out += '\xE2';
        out += '\x90';
        out += static_cast<char>(0x80 + c);
      } else {
        out += static_cast<char>(c);
      }
      continue;
    }
    uint32_t codePoint = 0;
    size_t length = decodeUtf8(s, i, codePoint);
    if (length == 0 || (codePoint >= 0x80 && codePoint <= 0x9F)) {
      out += "\uFFFD";
      i += length ? length : 1;
      continue;
    }
    out.append(s.data() + i, length);
    i += length;
  }
  return out;
}

std::string formatMs(double ms) {
  if (ms < 0) ms = 0;
  if (ms < 1000) return fmt::format("{:.0f} ms", ms);
  if (ms < 60'000) return fmt::format("{:.1f} s", ms / 1000);
  auto seconds = static_cast<long long>(ms / 1000 + 0.5);
  return fmt::format("{} min {:02} s", seconds / 60, seconds % 60);
}

llvm::StringRef statusIcon(Status status) {
  switch (status) {
    case Status::Passed: return "\u2714";
    case Status::Failed: return "\u2718";
    case Status::Skipped: return "\u25CB";
    case Status::Error: return "\u26A0";
  }
  return "?";
}

bool retried(const SuiteRecord& suite, size_t step) {
  const Step& s = suite.steps[step];
  if (s.status != Status::Failed) return false;
  for (auto p = s.parent; p; p = suite.steps[*p].parent) {
    const Step& parent = suite.steps[*p];
    if (llvm::StringRef(parent.info.text).startswith("eventually"))
      return parent.finished && parent.status == Status::Passed;
  }
  return false;
}

std::string testId(size_t suite, size_t test) {
  return fmt::format("s{}-t{}", suite, test);
}
std::string consoleId(size_t suite, size_t node) {
  return fmt::format("s{}-console{}", suite, node);
}

std::optional<double> firstEventMs(const SuiteRecord& suite) {
  std::optional<double> first;
  auto see = [&](double t) {
    if (!first || t < *first) first = t;
  };
  for (const NodeEvent& e : suite.nodeEvents) see(e.atMs);
  for (const Step& s : suite.steps) see(s.info.startMs);
  for (const auto& [node, lines] : suite.consoles)
    for (const ConsoleLine& line : lines) see(line.atMs);
  return first;
}

std::vector<std::string> SuiteRecord::nodeOrder() const {
  std::vector<std::string> order = info.nodes;
  std::set<std::string> seen(order.begin(), order.end());
  auto add = [&](const std::string& node) {
    if (!node.empty() && seen.insert(node).second) order.push_back(node);
  };
  for (const NodeEvent& e : nodeEvents) add(e.node);
  for (const Step& s : steps) add(s.info.node);
  for (const auto& [node, lines] : consoles) add(node);
  return order;
}

llvm::StringRef pageStyle() {
  return R"css(
:root { --pass: #1a7f37; --fail: #cf222e; --skip: #6e7781; --error: #8250df;
  --wait: #d4a72c; --cmd: #2f6feb; --boot: #8c959f; --bg: #f6f8fa;
  --line: #d0d7de; --text: #1f2328; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI",
  "DejaVu Sans", sans-serif; color: var(--text); background: var(--bg); }
main { max-width: 1180px; margin: 0 auto; padding: 20px 24px 60px; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 12.5px; }
pre { margin: 6px 0; padding: 8px 10px; background: #fff;
  border: 1px solid var(--line); border-radius: 6px; overflow-x: auto;
  white-space: pre-wrap; word-break: break-word; }
header.run { display: flex; align-items: center; gap: 18px; flex-wrap: wrap;
  padding: 16px 20px; border-radius: 10px; color: #fff; margin-bottom: 18px; }
header.run h1 { margin: 0; font-size: 22px; font-weight: 600; }
header.run.passed { background: var(--pass); }
header.run.failed { background: var(--fail); }
header.run.error { background: var(--error); }
.counts { display: flex; gap: 10px; flex-wrap: wrap; margin-left: auto; }
.count { background: rgba(255,255,255,.16); border-radius: 8px;
  padding: 4px 12px; text-align: center; min-width: 78px; }
.count b { display: block; font-size: 18px; }
section.suite { background: #fff; border: 1px solid var(--line);
  border-radius: 10px; padding: 14px 18px; margin-bottom: 20px; }
section.suite > h2 { margin: 0 0 2px; font-size: 18px; display: flex;
  gap: 10px; align-items: baseline; }
.path { color: var(--muted); font-size: 12px; }
.dur { color: var(--muted); font-variant-numeric: tabular-nums;
  white-space: nowrap; }
h3 { font-size: 14px; margin: 16px 0 6px; text-transform: uppercase;
  letter-spacing: .04em; color: var(--muted); }
.pill { display: inline-block; border-radius: 999px; padding: 0 9px;
  font-size: 12px; font-weight: 600; color: #fff; }
.pill.passed { background: var(--pass); } .pill.failed { background: var(--fail); }
.pill.skipped { background: var(--skip); } .pill.error { background: var(--error); }
.pill.retried { background: var(--wait); }
details.test { border: 1px solid var(--line); border-radius: 8px;
  margin: 6px 0; background: #fff; }
details.test > summary { cursor: pointer; padding: 7px 12px; display: flex;
  gap: 10px; align-items: center; list-style: none; }
details.test > summary::-webkit-details-marker { display: none; }
details.test > summary .name { font-weight: 600; flex: 1; }
details.test.failed { border-color: var(--fail); }
details.test.failed > summary { background: #ffebe9; border-radius: 8px 8px 0 0; }
details.test.error { border-color: var(--error); }
details.test.error > summary { background: #fbefff; }
details.test .body { padding: 4px 14px 12px; }
.icon.passed { color: var(--pass); } .icon.failed { color: var(--fail); }
.icon.skipped { color: var(--skip); } .icon.error { color: var(--error); }
.icon.retried { color: var(--wait); }
.failure { border-left: 4px solid var(--fail); background: #fff8f7;
  padding: 8px 12px; margin: 8px 0; border-radius: 0 6px 6px 0; }
.failure.error { border-color: var(--error); background: #fcf7ff; }
.failure .message { font-weight: 600; }
.failure .where { color: var(--muted); }
.diff .add { color: #116329; background: #dafbe1; display: block; }
.diff .del { color: #82071e; background: #ffebe9; display: block; }
.diff .hunk { color: #0550ae; display: block; }
table.steps { border-collapse: collapse; width: 100%; font-size: 12.5px; }
table.steps td { padding: 2px 6px; border-bottom: 1px solid #eaeef2;
  vertical-align: top; }
table.steps td.text { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  word-break: break-word; }
table.steps td.node, table.steps td.loc { color: var(--muted);
  white-space: nowrap; }
table.steps td.dur { text-align: right; }
table.steps tr.wait td.text { color: #7d4e00; }
table.steps tr.failed td { background: #fff5f5; }
.timeline { margin: 10px 0 4px; }
.timeline svg { width: 100%; height: auto; display: block; }
.timeline text { font-family: system-ui, "DejaVu Sans", sans-serif; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 12px;
  color: var(--muted); margin: 4px 0 8px; }
.legend i { display: inline-block; width: 18px; height: 10px;
  border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
details.console { border: 1px solid var(--line); border-radius: 8px;
  margin: 6px 0; }
details.console > summary { cursor: pointer; padding: 7px 12px;
  font-weight: 600; }
details.console .tools { display: flex; gap: 10px; align-items: center;
  padding: 0 12px 6px; }
details.console input { flex: 1; max-width: 360px; padding: 4px 8px;
  border: 1px solid var(--line); border-radius: 6px; font: inherit; }
details.console .lines { margin: 0 12px 12px; max-height: 480px;
  overflow: auto; background: #0d1117; color: #e6edf3; border: 0;
  padding: 8px 10px; border-radius: 6px; }
.ln { display: block; white-space: pre; min-height: 1.2em; }
.ln[hidden] { display: none; }
.ln .t { color: #7d8590; display: inline-block; min-width: 62px;
  text-align: right; margin-right: 10px; user-select: none; }
.ln mark { background: #f2cc60; color: #000; border-radius: 2px; }
.muted { color: var(--muted); }
ul.log { margin: 4px 0; padding-left: 20px; }
)css";
}

llvm::StringRef pageScript() {
  return R"js(
(function () {
  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  document.querySelectorAll('details.console').forEach(function (box) {
    var input = box.querySelector('input');
    var count = box.querySelector('.shown');
    var lines = Array.prototype.slice.call(box.querySelectorAll('.ln .x'));
    var texts = lines.map(function (l) { return l.textContent; });
    input.addEventListener('input', function () {
      var q = input.value.toLowerCase(), shown = 0;
      lines.forEach(function (l, k) {
        var t = texts[k], lower = t.toLowerCase();
        var at = q ? lower.indexOf(q) : -1;
        if (!q) { l.parentNode.hidden = false; l.textContent = t; return; }
        if (at < 0) { l.parentNode.hidden = true; return; }
        shown++;
        l.parentNode.hidden = false;
        var html = '', from = 0;
        while (at >= 0) {
          html += esc(t.slice(from, at)) + '<mark>' +
                  esc(t.slice(at, at + q.length)) + '</mark>';
          from = at + q.length;
          at = lower.indexOf(q, from);
        }
        l.innerHTML = html + esc(t.slice(from));
      });
      count.textContent = q ? shown + ' of ' + lines.length + ' lines match'
                            : lines.length + ' lines';
    });
  });
  // A node's name in a timeline opens its console.
  function openTarget(id) {
    var el = document.getElementById(id);
    if (!el) return;
    if (el.tagName === 'DETAILS') el.open = true;
    el.scrollIntoView({ block: 'start' });
  }
  document.querySelectorAll('a[href^="#"]').forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      openTarget(a.getAttribute('href').slice(1));
      history.replaceState(null, '', a.getAttribute('href'));
    });
  });
  if (location.hash) openTarget(location.hash.slice(1));
})();
)js";
}

}  // namespace rig::report::html
