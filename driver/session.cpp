#include "driver/session.h"

#include <fmt/format.h>

#include <algorithm>
#include "driver/render_output.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace rig::driver {

static bool colorWanted(ColorMode mode, bool terminal, const Host& host) {
  if (mode == ColorMode::Always) return true;
  if (mode == ColorMode::Never) return false;
  // https://no-color.org: present and not empty disables colour.
  std::optional<std::string> noColor =
      host.env ? host.env("NO_COLOR") : std::nullopt;
  if (noColor && !noColor->empty()) return false;
  return terminal;
}

Session::Session(const Host& host, const Invocation& invocation)
    : host_(host), inv_(invocation) {
  colorErr_ = colorWanted(inv_.color, host.errIsTerminal, host);
  colorOut_ = colorWanted(inv_.color, host.outIsTerminal, host);
  hostFacts_ = lint::systemHostFacts();
}

Session::~Session() = default;

void Session::error(llvm::StringRef message) {
  err() << "rig: " << message << "\n";
}

const Config* Session::configFor(llvm::StringRef specPath) {
  std::string path;
  if (!inv_.noConfig) {
    if (!inv_.configPath.empty()) {
      path = inv_.configPath;
    } else {
      llvm::SmallString<256> dir(specPath);
      llvm::sys::path::remove_filename(dir);
      path = findConfig(dir);
    }
  }
  for (auto& [p, config] : configs_)
    if (p == path) return config.get();
  std::unique_ptr<Config> config;
  if (path.empty()) {
    config = std::make_unique<Config>();
  } else {
    llvm::Expected<Config> loaded = loadConfig(path);
    if (!loaded) {
      err() << llvm::toString(loaded.takeError()) << "\n";
      ++errors_;
      return nullptr;
    }
    config = std::make_unique<Config>(std::move(*loaded));
  }
  configs_.emplace_back(path, std::move(config));
  return configs_.back().second.get();
}

std::unique_ptr<CheckedSpec> Session::check(llvm::StringRef path, bool lint) {
  const Config* config = configFor(path);
  if (!config) return nullptr;
  llvm::Expected<FileId> file = sources_.load(path);
  if (!file) {
    error(llvm::toString(file.takeError()));
    ++errors_;
    return nullptr;
  }
  auto spec = std::make_unique<CheckedSpec>();
  spec->path = path.str();
  spec->config = *config;

  diag::Emitter emitter;
  config->applyTo(emitter);
  sema::Options options;
  options.stdlibDir = stdlibDir(host_);
  options.defaultBackend = config->run.backend;
  options.forcedBackend = inv_.backend;
  spec->program = sema::check(sources_, *file, options, emitter);
  spec->ok = spec->program.ok && !emitter.hasErrors();
  if (lint && spec->program.ok) {
    lint::Options lintOptions;
    lintOptions.hostFacts = hostFacts_.get();
    lint::lintProgram(spec->program, sources_, lintOptions, emitter);
  }
  addDiagnostics(emitter);
  if (emitter.hasErrors()) spec->ok = false;
  return spec;
}

void Session::addDiagnostics(const diag::Emitter& emitter) {
  for (const diag::Diagnostic& d : emitter.diagnostics())
    diagnostics_.push_back(d);
  errors_ += emitter.errorCount();
  warnings_ += emitter.warningCount();
}

void Session::printDiagnostics() {
  bool toOut = inv_.format != Format::Text;
  renderDiagnostics(diagnostics_, sources_, inv_.format,
                    toOut ? colorOut_ : colorErr_, toOut ? out() : err());
  diagnostics_.clear();
}

std::vector<std::string> specsIn(llvm::StringRef dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(dir, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (llvm::sys::path::extension(it->path()) == ".rig" &&
        it->type() != llvm::sys::fs::file_type::directory_file)
      found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

int Session::diagnosticsExitCode() const {
  if (errors_) return kExitUsage;
  if (inv_.warningsAsErrors && warnings_) return kExitUsage;
  return kExitOk;
}

}  // namespace rig::driver
