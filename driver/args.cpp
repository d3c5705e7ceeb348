#include "driver/args.h"
#include "driver/config.h"
#include "driver/shard.h"

#include <fmt/format.h>

#include "compiler/diag/diagnostic.h"
#include "llvm/ADT/StringExtras.h"

#ifndef RIG_VERSION
#define RIG_VERSION "0.0.0"
#endif

namespace rig::driver {

namespace {

struct CommandSpec {
  Command command;
  const char* name;
  const char* usage;    // after `rig NAME `
  const char* summary;  // one line
  unsigned minFiles;
  unsigned maxFiles;  // ~0u = any
};

const CommandSpec kCommands[] = {
    {Command::Check, "check", "FILE|DIR...",
     "parse, resolve and type-check specs; report errors only", 1, ~0u},
    {Command::Lint, "lint", "FILE|DIR...",
     "check, then run the lint rules (docs/lints.md)", 1, ~0u},
    {Command::Compile, "compile", "FILE [-o PLAN.json]",
     "check a spec and write its plan (JSON)", 1, 1},
    {Command::Run, "run", "FILE|DIR|PLAN.json...",
     "compile and run suites on QEMU virtual machines", 1, ~0u},
    {Command::Repl, "repl", "FILE",
     "type statements against the machines of a suite", 1, 1},
    {Command::Doctor, "doctor", "[FILE|DIR...] [--install]",
     "what the host has and lacks to run suites (and their packages)", 0, ~0u},
    {Command::Cache, "cache", "list|clean",
     "show or remove the cached outputs of `prepare` steps (docs/prepare.md)",
     1, 1},
    {Command::Attach, "attach",
     "RUN_DIR NODE | RUN_DIR --console NODE | RUN_DIR --stop | --list",
     "reach the machines kept by `rig run --keep-vms-on-failure` "
     "(docs/debugging.md)",
     0, 2},
    {Command::Fmt, "fmt", "FILE|DIR|-...",
     "rewrite specs in the canonical layout (docs/fmt.md); - is stdin", 1, ~0u},
    {Command::Lsp, "lsp", "",
     "the language server, over standard input and output (docs/editors.md)", 0,
     0},
    {Command::List, "list", "[FILE|DIR...] [--json]",
     "list the suites and their tests, tags, nodes and last durations", 0, ~0u},
    {Command::Merge, "merge", "[REPORT OPTIONS] SHARD_REPORT...",
     "merge the JSON reports or event streams of a run's shards into its "
     "reports (docs/scaling.md)",
     1, ~0u},
    {Command::Help, "help", "[COMMAND]", "show the help of a command", 0, 1},
    {Command::Version, "version", "", "print the version", 0, 0},
};

unsigned bit(Command c) { return 1u << static_cast<unsigned>(c); }
const unsigned kCompiling = bit(Command::Check) | bit(Command::Lint) |
                            bit(Command::List) | bit(Command::Compile) |
                            bit(Command::Run) | bit(Command::Repl);
const unsigned kAll = ~0u;
// The report options of `rig run`, which `rig merge` writes too.
const unsigned kReporting = bit(Command::Run) | bit(Command::Merge);

using Apply = void (*)(Invocation&, llvm::StringRef, std::string&);

struct OptionSpec {
  const char* longName;  // without `--`
  char shortName;        // 0: none
  const char* value;     // the value's name; null for a flag
  unsigned commands;     // where it is accepted
  const char* help;
  Apply apply;
};

bool parseUnsigned(llvm::StringRef s, unsigned& out) {
  return !s.getAsInteger(10, out);
}

const OptionSpec kOptions[] = {
    {"format", 0, "FORMAT", kCompiling,
     "diagnostics as text (default), json, sarif or github",
     [](Invocation& inv, llvm::StringRef v, std::string& err) {
       if (v == "text")
         inv.format = Format::Text;
       else if (v == "json")
         inv.format = Format::Json;
       else if (v == "sarif")
         inv.format = Format::Sarif;
       else if (v == "github")
         inv.format = Format::Github;
       else
         err = fmt::format(
             "--format must be text, json, sarif or github, "
             "not `{}`",
             v.str());
     }},
    {"color", 0, "WHEN", kAll, "auto (default: on a terminal), always, never",
     [](Invocation& inv, llvm::StringRef v, std::string& err) {
       if (v == "auto")
         inv.color = ColorMode::Auto;
       else if (v == "always")
         inv.color = ColorMode::Always;
       else if (v == "never")
         inv.color = ColorMode::Never;
       else
         err = fmt::format("--color must be auto, always or never, not `{}`",
                           v.str());
     }},
    {"config", 0, "FILE", kCompiling | bit(Command::Doctor),
     "use this rig.toml instead of searching for one",
     [](Invocation& inv, llvm::StringRef v, std::string&) {
       inv.configPath = v.str();
     }},
    {"no-config", 0, nullptr, kCompiling | bit(Command::Doctor),
     "ignore every rig.toml",
     [](Invocation& inv, llvm::StringRef, std::string&) {
       inv.noConfig = true;
     }},
    {"warnings-as-errors", 0, nullptr, bit(Command::Lint) | bit(Command::Check),
     "exit with 2 when there is any warning",
     [](Invocation& inv, llvm::StringRef, std::string&) {
       inv.warningsAsErrors = true;
     }},
    {"output", 'o', "FILE", bit(Command::Compile),
     "write the plan here (default: standard output)",
     [](Invocation& inv, llvm::StringRef v, std::string&) {
       inv.output = v.str();
     }},
    {"jobs", 'j', "N", bit(Command::Run), "run N suites at once",
     [](Invocation& inv, llvm::StringRef v, std::string& err) {
       unsigned n = 0;
       if (!parseUnsigned(v, n) || n == 0)
         err = fmt::format("-j needs a positive number, not `{}`", v.str());
       else
         inv.jobs = n;
     }},
    {"junit", 0, "FILE", kReporting, "write a JUnit XML report",
     [](Invocation& inv, llvm::StringRef v, std::string&) {
       inv.junitPath = v.str();
     }},
    {"json", 0, "FILE", kReporting, "write a JSON report",
     [](Invocation& inv, llvm::StringRef v, std::string&) {
       inv.jsonPath = v.str();
     }},
    {"html", 0, "FILE", kReporting, "write an HTML report",
     [](Invocation& inv, llvm::StringRef v, std::string&) {
       inv.htmlPath = v.str();
     }},
    {"events", 0, "FILE", kReporting,
     "write every run event to FILE as it happens (NDJSON)",
     [](Invocation& inv, llvm::StringRef v, std::string&) {
       inv.eventsPath = v.str();
     }},
    {"tap", 0, nullptr, kReporting, "print TAP version 14 instead of progress",
     [](Invocation& inv, llvm::StringRef, std::string&) { inv.tap = true; }},
    {"github", 0, nullptr, kReporting,
     "also print GitHub Actions annotations and console groups",
     [](Invocation& inv, llvm::StringRef, std::string&) { inv.github = true; }},
    {"keep-going", 0, nullptr, bit(Command::Run),
     "run the remaining tests after a failing one",
     [](Invocation& inv, llvm::StringRef, std::string&) {
       inv.keepGoing = true;
     }},
    {"keep-vms-on-failure", 0, nullptr, bit(Command::Run),
     "leave the VMs of a failed suite running",
     [](Invocation& inv, llvm::StringRef, std::string&) {
       inv.keepVmsOnFailure = true;
     }},
    {"rebuild", 0, nullptr, bit(Command::Run),
     "ignore the cache of prepared state",
     [](Invocation& inv, llvm::StringRef, std::string&) {
       inv.rebuild = true;
     }},
    {"timeout", 0, "DURATION", bit(Command::Run),
     "end each suite after DURATION (e.g. 20m; wins over meta and rig.toml)",
     [](Invocation& inv, llvm::StringRef v, std::string& err) {
       auto ms = parseDurationMs(v);
       if (!ms || *ms <= 0)
         err = fmt::format(
             "--timeout needs a duration like 90s or 20m, not `{}`", v.str());
       else
         inv.suiteTimeoutMs = ms;
     }},
    {"accel", 0, "kvm|tcg",
     bit(Command::Run) | bit(Command::Repl) | bit(Command::Doctor),
     "force the acceleration (default: rig.toml, else probe)",
     [](Invocation& inv, llvm::StringRef v, std::string& err) {
       if (v != "kvm" && v != "tcg")
         err = fmt::format("--accel must be kvm or tcg, not `{}`", v.str());
       else
         inv.accel = v.str();
     }},
    {"backend", 0, "vm|container",
     bit(Command::Run) | bit(Command::Repl) | bit(Command::Check) |
         bit(Command::Compile),
     "run every node as a VM or a container (default: each node's `backend`, "
     "else rig.toml)",
     [](Invocation& inv, llvm::StringRef v, std::string& err) {
       if (v != "vm" && v != "container")
         err = fmt::format("--backend must be vm or container, not `{}`",
                           v.str());
       else
         inv.backend = v.str();
     }},
    {"verbose", 'v', nullptr, bit(Command::Run) | bit(Command::Repl),
     "say more (-vv: every machine operation)",
     [](Invocation& inv, llvm::StringRef, std::string&) { ++inv.verbosity; }},
    {"quiet", 'q', nullptr, kReporting, "show only failures and the summary",
     [](Invocation& inv, llvm::StringRef, std::string&) { inv.quiet = true; }},
    {"shard", 0, "K/N|auto", bit(Command::Run),
     "run only shard K of N (1-based); auto: from the CI engine's variables",
     [](Invocation& inv, llvm::StringRef v, std::string& err) {
       if (v != "auto" && !parseShard(v))
         err = fmt::format(
             "--shard needs K/N with 1 <= K <= N, or auto, not "
             "`{}`",
             v.str());
       else
         inv.shard = v.str();
     }},
    {"shard-total", 0, "N", bit(Command::Run),
     "the number of shards for --shard=auto on Kubernetes",
     [](Invocation& inv, llvm::StringRef v, std::string& err) {
       unsigned n = 0;
       if (!parseUnsigned(v, n) || n == 0)
         err = fmt::format("--shard-total needs a positive number, not `{}`",
                           v.str());
       else
         inv.shardTotal = n;
     }},
    {"durations", 0, "FILE", bit(Command::Run) | bit(Command::List),
     "suite durations from a previous run's JSON report (balances --shard)",
     [](Invocation& inv, llvm::StringRef v, std::string&) {
       inv.durationsPath = v.str();
     }},
    {"json", 0, nullptr, bit(Command::List), "print JSON",
     [](Invocation& inv, llvm::StringRef, std::string&) {
       inv.listJson = true;
     }},
    {"install", 0, nullptr, bit(Command::Doctor),
     "apt-get install the missing packages (as root; else print the command)",
     [](Invocation& inv, llvm::StringRef, std::string&) {
       inv.install = true;
     }},
    {"console", 0, "NODE", bit(Command::Run),
     "show NODE's console lines as they come (`NODE # line`; repeatable)",
     [](Invocation& inv, llvm::StringRef v, std::string&) {
       inv.consoleNodes.push_back(v.str());
     }},
    {"console", 0, "NODE", bit(Command::Attach),
     "follow NODE's serial console live (Ctrl-C ends)",
     [](Invocation& inv, llvm::StringRef v, std::string&) {
       inv.consoleNode = v.str();
     }},
    {"stop", 0, nullptr, bit(Command::Attach),
     "stop the run's kept machines and remove its directory",
     [](Invocation& inv, llvm::StringRef, std::string&) { inv.stop = true; }},
    {"list", 0, nullptr, bit(Command::Attach),
     "list the run directories of kept (and running) machines",
     [](Invocation& inv, llvm::StringRef, std::string&) {
       inv.listRuns = true;
     }},
    {"check", 0, nullptr, bit(Command::Fmt),
     "write nothing; list the files that are not formatted, exit 1 if any",
     [](Invocation& inv, llvm::StringRef, std::string&) {
       inv.fmtCheck = true;
     }},
    {"diff", 0, nullptr, bit(Command::Fmt),
     "write nothing; print what would change as a unified diff",
     [](Invocation& inv, llvm::StringRef, std::string&) {
       inv.fmtDiff = true;
     }},
    {"help", 'h', nullptr, kAll, "show this help",
     [](Invocation& inv, llvm::StringRef, std::string&) { inv.help = true; }},
};

const CommandSpec* findCommand(Command c) {
  for (const CommandSpec& spec : kCommands)
    if (spec.command == c) return &spec;
  return nullptr;
}

// The option `name` of `command`; an option of another command when that
// has none (for the error that says where it belongs).
const OptionSpec* findLong(llvm::StringRef name, Command command) {
  const OptionSpec* other = nullptr;
  for (const OptionSpec& o : kOptions) {
    if (name != o.longName) continue;
    if (o.commands & bit(command)) return &o;
    if (!other) other = &o;
  }
  return other;
}

const OptionSpec* findShort(char c) {
  for (const OptionSpec& o : kOptions)
    if (o.shortName && o.shortName == c) return &o;
  return nullptr;
}

std::string commandList() {
  std::string out;
  for (const CommandSpec& spec : kCommands)
    out += fmt::format("  {:<9}{}\n", spec.name, spec.summary);
  return out;
}

// The options of `commands`; with `globalOnly`, those every command takes.
std::string optionList(unsigned commands, bool globalOnly = false) {
  std::string out;
  for (const OptionSpec& o : kOptions) {
    if (!(o.commands & commands)) continue;
    if (globalOnly && o.commands != kAll) continue;
    std::string names =
        o.shortName ? fmt::format("-{}, ", o.shortName) : "    ";
    names += fmt::format("--{}", o.longName);
    if (o.value) names += fmt::format("={}", o.value);
    out += fmt::format("  {:<30}{}\n", names, o.help);
  }
  return out;
}

// `rig attach`'s four forms (docs/cli.md); "" when `files` fit one.
std::string attachArgumentError(const Invocation& inv,
                                const std::vector<std::string>& files) {
  const char* see = " (see rig attach --help)";
  if (inv.listRuns) {
    if (!files.empty() || inv.stop || !inv.consoleNode.empty())
      return fmt::format("rig attach --list takes nothing else{}", see);
    return "";
  }
  if (files.empty())
    return fmt::format(
        "rig attach needs a RUN_DIR (`rig attach --list` shows "
        "the kept runs){}",
        see);
  if (inv.stop && (files.size() > 1 || !inv.consoleNode.empty()))
    return fmt::format("rig attach RUN_DIR --stop takes nothing else{}", see);
  if (!inv.consoleNode.empty() && files.size() > 1)
    return fmt::format(
        "rig attach RUN_DIR --console NODE takes no second "
        "node `{}`{}",
        files[1], see);
  if (files.size() > 2)
    return fmt::format("rig attach takes RUN_DIR and NODE, not {} arguments{}",
                       files.size(), see);
  if (!inv.stop && inv.consoleNode.empty() && files.size() < 2)
    return fmt::format(
        "rig attach {} needs a NODE (or --console NODE, or "
        "--stop){}",
        files[0], see);
  return "";
}

}  // namespace

llvm::StringRef commandName(Command command) {
  const CommandSpec* spec = findCommand(command);
  return spec ? spec->name : "";
}

std::optional<Command> commandByName(llvm::StringRef name) {
  for (const CommandSpec& spec : kCommands)
    if (name == spec.name) return spec.command;
  return std::nullopt;
}

ParsedArgs parseArgs(llvm::ArrayRef<std::string> args) {
  ParsedArgs result;
  Invocation& inv = result.invocation;
  std::string& error = result.error;
  std::vector<std::string> positional;
  bool onlyPositional = false;

  auto unknown = [&](llvm::StringRef shown) {
    error = fmt::format("unknown option {} (see rig --help)", shown.str());
  };
  // An option is accepted when its command allows it; before the command
  // only the global ones (help, color).
  auto allowed = [&](const OptionSpec& o) {
    if (inv.command == Command::None) return o.commands == kAll;
    return (o.commands & bit(inv.command)) != 0;
  };
  auto notHere = [&](const OptionSpec& o, llvm::StringRef shown) {
    if (inv.command == Command::None) {
      unknown(shown);
      return;
    }
    error = fmt::format("rig {} does not take {} (see rig {} --help)",
                        commandName(inv.command).str(), shown.str(),
                        commandName(inv.command).str());
  };

  for (size_t i = 0; i < args.size() && error.empty(); ++i) {
    llvm::StringRef arg = args[i];
    if (onlyPositional || arg == "-" || !arg.startswith("-")) {
      if (inv.command == Command::None) {
        std::optional<Command> c = commandByName(arg);
        if (!c) {
          std::vector<llvm::StringRef> names;
          for (const CommandSpec& spec : kCommands) names.push_back(spec.name);
          std::string close = diag::closestMatch(arg, names);
          error = close.empty()
                      ? fmt::format("unknown command {} (see rig --help)",
                                    arg.str())
                      : fmt::format(
                            "unknown command {}; did you mean {}? "
                            "(see rig --help)",
                            arg.str(), close);
          break;
        }
        inv.command = *c;
        continue;
      }
      positional.push_back(arg.str());
      continue;
    }
    if (arg == "--") {
      onlyPositional = true;
      continue;
    }
    if (arg == "--version" && inv.command == Command::None) {
      inv.command = Command::Version;
      continue;
    }
    if (arg.startswith("--")) {
      auto [name, value] = arg.drop_front(2).split('=');
      bool hasValue = arg.contains('=');
      const OptionSpec* o = findLong(name, inv.command);
      std::string shown = "--" + name.str();
      if (!o) {
        unknown(shown);
        break;
      }
      if (!allowed(*o)) {
        notHere(*o, shown);
        break;
      }
      if (!o->value) {
        if (hasValue) {
          error = fmt::format("{} takes no value", shown);
          break;
        }
        o->apply(inv, "", error);
        continue;
      }
      if (!hasValue) {
        if (i + 1 >= args.size()) {
          error =
              fmt::format("{} needs a value: {}={}", shown, shown, o->value);
          break;
        }
        value = args[++i];
      }
      o->apply(inv, value, error);
      continue;
    }
    // Short options: `-v`, `-vv`, `-o FILE`, `-oFILE`, `-j2`.
    for (size_t k = 1; k < arg.size() && error.empty(); ++k) {
      const OptionSpec* o = findShort(arg[k]);
      std::string shown = fmt::format("-{}", arg[k]);
      if (!o) {
        unknown(shown);
        break;
      }
      if (!allowed(*o)) {
        notHere(*o, shown);
        break;
      }
      if (!o->value) {
        o->apply(inv, "", error);
        continue;
      }
      llvm::StringRef value = arg.drop_front(k + 1);
      if (value.empty()) {
        if (i + 1 >= args.size()) {
          error =
              fmt::format("{} needs a value: {} {}", shown, shown, o->value);
          break;
        }
        value = args[++i];
      }
      o->apply(inv, value, error);
      break;
    }
  }
  if (!error.empty()) return result;
  if (inv.quiet && inv.verbosity > 0) {
    error = "-q and -v exclude each other";
    return result;
  }

  if (inv.command == Command::Help) {
    if (!positional.empty()) {
      if (!commandByName(positional[0])) {
        error =
            fmt::format("unknown command {} (see rig --help)", positional[0]);
        return result;
      }
      inv.helpTopic = positional[0];
    }
    return result;
  }
  if (inv.help || inv.command == Command::None ||
      inv.command == Command::Version)
    return result;

  if (inv.command == Command::Attach) {
    error = attachArgumentError(inv, positional);
    if (error.empty()) inv.files = std::move(positional);
    return result;
  }
  const CommandSpec* spec = findCommand(inv.command);
  if (positional.size() < spec->minFiles) {
    error = fmt::format("rig {} needs {} (see rig {} --help)", spec->name,
                        spec->minFiles == 1 && spec->maxFiles == 1
                            ? "a FILE"
                            : "at least one FILE",
                        spec->name);
    return result;
  }
  if (positional.size() > spec->maxFiles) {
    error = fmt::format("rig {} takes {} FILE, not {} (see rig {} --help)",
                        spec->name, spec->maxFiles == 0 ? "no" : "one",
                        positional.size(), spec->name);
    return result;
  }
  inv.files = std::move(positional);
  return result;
}

std::string versionText() { return fmt::format("rig {}\n", RIG_VERSION); }

std::string helpText(Command command) {
  const CommandSpec* spec = findCommand(command);
  if (!spec || command == Command::Help || command == Command::Version) {
    return fmt::format(
        "rig: integration tests on QEMU virtual machines\n"
        "\n"
        "usage: rig COMMAND [OPTIONS] [FILE...]\n"
        "\n"
        "commands:\n"
        "{}"
        "\n"
        "options for every command:\n"
        "{}"
        "      --version                 print the version\n"
        "\n"
        "rig COMMAND --help shows a command's options. Settings come from\n"
        "the nearest rig.toml above each spec (docs/cli.md).\n"
        "\n"
        "exit codes: 0 ok, 1 a test failed, 2 usage or compile error,\n"
        "3 the infrastructure failed\n",
        commandList(), optionList(kAll, /*globalOnly=*/true));
  }
  return fmt::format("usage: rig {} {}\n\n{}\n\noptions:\n{}", spec->name,
                     spec->usage, spec->summary, optionList(bit(command)));
}

}  // namespace rig::driver
