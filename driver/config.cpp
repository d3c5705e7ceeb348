#include "driver/config.h"

#include <algorithm>

#include <fmt/format.h>

#include <toml++/toml.h>

#include "compiler/lint/lint.h"
#include "compiler/parse/number.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "runtime/plan/value.h"
#include "runtime/protocol/wire.h"

namespace rig::driver {

void Config::applyTo(diag::Emitter& emitter) const {
  for (const LintSetting& s : lint) emitter.setSeverity(s.kind, s.severity);
}

std::string findConfig(llvm::StringRef dir) {
  llvm::SmallString<256> current(dir.empty() ? "." : dir);
  llvm::sys::fs::make_absolute(current);
  llvm::sys::path::remove_dots(current, /*remove_dot_dot=*/true);
  while (true) {
    llvm::SmallString<256> candidate(current);
    llvm::sys::path::append(candidate, "rig.toml");
    if (llvm::sys::fs::is_regular_file(candidate))
      return std::string(candidate);
    llvm::StringRef parent = llvm::sys::path::parent_path(current);
    if (parent.empty() || parent == current) return "";
    current = parent;
  }
}

std::optional<double> parseDurationMs(llvm::StringRef text) {
  text = text.trim();
  size_t unitAt = text.find_first_not_of("0123456789.");
  if (unitAt == 0 || unitAt == llvm::StringRef::npos) return std::nullopt;
  llvm::StringRef number = text.take_front(unitAt);
  llvm::StringRef unit = text.drop_front(unitAt);
  double value = 0;
  if (number.getAsDouble(value)) return std::nullopt;
  if (unit == "ms") return value;
  if (unit == "s") return value * 1000;
  if (unit == "m") return value * 60'000;
  if (unit == "h") return value * 3'600'000;
  return std::nullopt;
}

namespace {

// Collects the errors of one file, each with its position.
class Reader {
 public:
  explicit Reader(llvm::StringRef path) : path_(path) {}

  void error(const toml::source_region& where, const std::string& message) {
    errors_ +=
        fmt::format("{}{}:{}:{}: error: {}", errors_.empty() ? "" : "\n", path_,
                    where.begin.line, where.begin.column, message);
  }
  bool failed() const { return !errors_.empty(); }
  llvm::Error take() {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), errors_);
  }

  std::optional<std::string> string(const toml::node& node,
                                    llvm::StringRef key) {
    if (auto s = node.value<std::string>()) return *s;
    error(node.source(), fmt::format("`{}` must be a string", key.str()));
    return std::nullopt;
  }

  std::optional<double> duration(const toml::node& node, llvm::StringRef key) {
    if (node.is_integer() || node.is_floating_point()) {
      double seconds = *node.value<double>();
      if (seconds > 0) return seconds * 1000;
    } else if (auto s = node.value<std::string>()) {
      if (auto ms = parseDurationMs(*s); ms && *ms > 0) return ms;
    }
    error(node.source(),
          fmt::format("`{}` must be a duration such as \"30s\", \"500ms\" or "
                      "\"2m\" (or a number of seconds)",
                      key.str()));
    return std::nullopt;
  }

  // "64MiB" (a size as the language writes it) or a number of bytes, up to
  // what the agent protocol carries.
  std::optional<uint64_t> byteSize(const toml::node& node,
                                   llvm::StringRef key) {
    std::optional<int64_t> bytes;
    if (node.is_integer()) {
      bytes = node.value<int64_t>();
    } else if (auto s = node.value<std::string>()) {
      std::string text(llvm::StringRef(*s).trim());
      text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
      parse::NumberLiteral n = parse::decodeNumber(text);
      if (n.ok && n.kind == ast::ExprKind::Size) bytes = n.intValue;
      if (n.ok && n.kind == ast::ExprKind::Int) bytes = n.intValue;
    }
    if (bytes && *bytes >= int64_t(protocol::kMinOutputLimit) &&
        uint64_t(*bytes) <= protocol::kMaxOutputLimit)
      return uint64_t(*bytes);
    error(node.source(),
          fmt::format(
              "`{}` must be a size from {} to {} such as \"64MiB\" "
              "(or a number of bytes)",
              key.str(),
              formatSize(static_cast<int64_t>(protocol::kMinOutputLimit)),
              formatSize(static_cast<int64_t>(protocol::kMaxOutputLimit))));
    return std::nullopt;
  }

  void lint(const toml::table& table, Config& config) {
    std::vector<llvm::StringRef> names;
    for (diag::Kind k : lint::lintKinds())
      names.push_back(diag::info(k).lintName);
    for (const auto& [key, node] : table) {
      llvm::StringRef name(key.str());
      std::optional<diag::Kind> kind;
      for (diag::Kind k : lint::lintKinds())
        if (diag::info(k).lintName == name || diag::info(k).code == name)
          kind = k;
      if (!kind) {
        std::string close = diag::closestMatch(name, names);
        error(key.source().begin.line ? key.source() : node.source(),
              close.empty()
                  ? fmt::format("[lint] unknown rule `{}` (docs/lints.md "
                                "lists them)",
                                name.str())
                  : fmt::format("[lint] unknown rule `{}`; did you mean "
                                "`{}`?",
                                name.str(), close));
        continue;
      }
      std::optional<std::string> value = string(node, name);
      if (!value) continue;
      diag::Severity severity;
      if (*value == "off")
        severity = diag::Severity::Ignored;
      else if (*value == "warning")
        severity = diag::Severity::Warning;
      else if (*value == "error")
        severity = diag::Severity::Error;
      else {
        error(node.source(),
              fmt::format("[lint] `{}` must be \"off\", \"warning\" or "
                          "\"error\", not \"{}\"",
                          name.str(), *value));
        continue;
      }
      config.lint.push_back({*kind, severity});
    }
  }

  void run(const toml::table& table, Config& config) {
    static const llvm::StringRef kKeys[] = {
        "wait_timeout",  "eventually_timeout",
        "suite_timeout", "accel",
        "backend",       "kernel",
        "jobs",          "max_output"};
    RunSettings& run = config.run;
    for (const auto& [key, node] : table) {
      llvm::StringRef name(key.str());
      if (name == "wait_timeout") {
        run.waitTimeoutMs = duration(node, name);
      } else if (name == "eventually_timeout") {
        run.eventuallyTimeoutMs = duration(node, name);
      } else if (name == "suite_timeout") {
        run.suiteTimeoutMs = duration(node, name);
      } else if (name == "accel") {
        std::optional<std::string> v = string(node, name);
        if (v && *v != "kvm" && *v != "tcg")
          error(node.source(), fmt::format("[run] `accel` must be \"kvm\" or "
                                           "\"tcg\", not \"{}\"",
                                           *v));
        else if (v)
          run.accel = *v;
      } else if (name == "backend") {
        std::optional<std::string> v = string(node, name);
        if (v && *v != "vm" && *v != "container")
          error(node.source(), fmt::format("[run] `backend` must be \"vm\" or "
                                           "\"container\", not \"{}\"",
                                           *v));
        else if (v)
          run.backend = *v;
      } else if (name == "kernel") {
        std::optional<std::string> v = string(node, name);
        if (!v) continue;
        llvm::SmallString<256> p(*v);
        if (!llvm::sys::path::is_absolute(p)) {
          p = llvm::sys::path::parent_path(path_);
          llvm::sys::path::append(p, *v);
          llvm::sys::fs::make_absolute(p);
        }
        run.kernel = std::string(p);
      } else if (name == "max_output") {
        run.maxOutputBytes = byteSize(node, name);
      } else if (name == "jobs") {
        std::optional<int64_t> n = node.value<int64_t>();
        if (!node.is_integer() || !n || *n < 1 || *n > 1024)
          error(node.source(),
                "[run] `jobs` must be a whole number from 1 "
                "to 1024");
        else
          run.jobs = unsigned(*n);
      } else {
        std::string close = diag::closestMatch(name, kKeys);
        error(key.source().begin.line ? key.source() : node.source(),
              close.empty()
                  ? fmt::format("[run] unknown key `{}`", name.str())
                  : fmt::format("[run] unknown key `{}`; did you mean `{}`?",
                                name.str(), close));
      }
    }
  }

 private:
  std::string path_;
  std::string errors_;
};

}  // namespace

llvm::Expected<Config> parseConfig(llvm::StringRef text, llvm::StringRef path) {
  Config config;
  config.path = path.str();
  toml::table root;
  try {
    root = toml::parse(std::string_view(text.data(), text.size()),
                       std::string_view(path.data(), path.size()));
  } catch (const toml::parse_error& e) {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        fmt::format("{}:{}:{}: error: {}", path.str(), e.source().begin.line,
                    e.source().begin.column, e.description()));
  }
  Reader reader(path);
  for (const auto& [key, node] : root) {
    llvm::StringRef name(key.str());
    const toml::table* table = node.as_table();
    if (name != "lint" && name != "run") {
      std::string close = diag::closestMatch(name, {"lint", "run"});
      reader.error(key.source().begin.line ? key.source() : node.source(),
                   close.empty()
                       ? fmt::format("unknown section `{}` (rig.toml has "
                                     "[lint] and [run])",
                                     name.str())
                       : fmt::format("unknown section `{}`; did you mean "
                                     "[{}]?",
                                     name.str(), close));
      continue;
    }
    if (!table) {
      reader.error(node.source(), fmt::format("`{}` must be a table: [{}]",
                                              name.str(), name.str()));
      continue;
    }
    if (name == "lint")
      reader.lint(*table, config);
    else
      reader.run(*table, config);
  }
  if (reader.failed()) return reader.take();
  return config;
}

llvm::Expected<Config> loadConfig(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   fmt::format("cannot read {}: {}", path.str(),
                                               buffer.getError().message()));
  return parseConfig((*buffer)->getBuffer(), path);
}

}  // namespace rig::driver
