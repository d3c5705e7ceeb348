// Machine operations (language.md section 8), built on machine::Machine. The
// semantics follow the NixOS test driver; where this file decides something
// the driver leaves open, a comment says so.
#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/exec/interpreter.h"
#include "runtime/exec/regex.h"

namespace rig::exec {
namespace {

Value resultObject(const machine::ExecResult& r) {
  int status = r.timedOut && r.status == 0 ? 124 : r.status;
  return Value::object({{"status", Value::integer(status)},
                        {"stdout", Value::string(r.stdoutText)},
                        {"stderr", Value::string(r.stderrText)}});
}

// `unit` as the instance of rig-wait@.service, whose After=%i names it: with
// systemctl's default suffix (`api` means api.service). %i is the instance
// as written (systemd has no unescaping specifier for dependencies), so a
// name with a character an instance cannot hold gives "" (no waiting in the
// guest; unit names never hold one).
std::string waitInstance(llvm::StringRef unit) {
  static const char* const kSuffixes[] = {
      ".service", ".socket", ".target", ".mount", ".automount", ".swap",
      ".path", ".timer", ".slice", ".scope", ".device"};
  bool typed = false;
  for (const char* suffix : kSuffixes) typed = typed || unit.endswith(suffix);
  for (char c : unit)
    if (!llvm::isAlnum(c) && !llvm::StringRef(":-_.\\@").contains(c)) return "";
  if (unit.empty() || unit.startswith(".")) return "";
  return typed ? unit.str() : unit.str() + ".service";
}

std::string prop(const Value& info, llvm::StringRef key) {
  const Value* v = info.field(key);
  return v && v->kind() == ValueKind::String ? v->asString() : "";
}

}  // namespace

Value Interpreter::callMethod(const std::string& m, const std::string& method,
                              BoundArgs a) {
  slot(m);  // fails for an unknown machine, marks it touched
  std::string callee = m + "." + method;

  if (method == "start") {
    ensureStarted(m);
    return Value();
  }
  if (method == "shutdown") {
    machine::Machine* vm = slots_[m].machine;
    if (vm->state() == machine::MachineState::Off) return Value();
    if (llvm::Error e = vm->shutdown(timeoutArg(a, 0)))
      machineFailed(m, std::move(e), "shutdown");
    slots_[m].exitExpected = true;
    nodePhase(m, events::NodePhase::Stopped);
    return Value();
  }
  if (method == "crash") {
    if (llvm::Error e = slots_[m].machine->crash())
      machineFailed(m, std::move(e), "crash");
    slots_[m].exitExpected = true;
    nodePhase(m, events::NodePhase::Stopped);
    return Value();
  }
  if (method == "reboot") {
    ensureStarted(m);
    if (llvm::Error e = slots_[m].machine->shutdown(timeoutArg(a, 0)))
      machineFailed(m, std::move(e), "reboot");
    slots_[m].exitExpected = true;
    nodePhase(m, events::NodePhase::Stopped);
    ensureStarted(m);
    return Value();
  }
  if (method == "wait_for_shutdown") {
    double timeout = timeoutArg(a, 0);
    if (llvm::Error e = slots_[m].machine->waitForShutdown(timeout)) {
      if (slots_[m].machine->state() == machine::MachineState::Dead)
        machineFailed(m, std::move(e), "wait_for_shutdown");
      Failure f;
      f.message = fmt::format("timed out after {} waiting for `{}` to shut down",
                              formatDuration(timeout), m);
      f.details = llvm::toString(std::move(e));
      f.machines = {m};
      throw f;
    }
    slots_[m].exitExpected = true;
    nodePhase(m, events::NodePhase::Stopped);
    return Value();
  }

  if (method == "succeed" || method == "fail") {
    std::vector<Value> commands;
    if (a.get(0)) commands.push_back(*a.get(0));
    commands.insert(commands.end(), a.rest.begin(), a.rest.end());
    if (commands.empty()) failf("`{}` needs a command", callee);
    double timeout = timeoutArg(a, 1);
    std::string output;
    for (const Value& c : commands) {
      const std::string& command = wantString(callee, "command", c);
      machine::ExecResult r = runTestCommand(m, command, timeout);
      Failure f;
      f.machines = {m};
      f.details = outputDetails(r);
      // `fail` expects the command to fail: outliving its timeout is that
      // failure (status 124, as timeout(1) and the NixOS driver say).
      if (r.timedOut && method == "fail") {
        output += r.stdoutText;
        continue;
      }
      if (r.timedOut) {
        f.message = fmt::format("command timed out after {}: `{}`",
                                formatDuration(timeout), commandText(command));
        throw f;
      }
      if (method == "succeed" && r.status != 0) {
        f.message = fmt::format("command failed with exit status {}: `{}`",
                                r.status, commandText(command));
        throw f;
      }
      if (method == "fail" && r.status == 0) {
        f.message = fmt::format(
            "command succeeded but was expected to fail: `{}`",
            commandText(command));
        throw f;
      }
      output += r.stdoutText;
    }
    return Value::string(std::move(output));
  }
  if (method == "execute") {
    if (!a.get(0)) failf("`{}` needs a command", callee);
    return resultObject(
        runTestCommand(m, wantString(callee, "command", *a.get(0)),
                       timeoutArg(a, 1)));
  }
  if (method == "wait_until_succeeds" || method == "wait_until_fails") {
    if (!a.get(0)) failf("`{}` needs a command", callee);
    std::string command = wantString(callee, "command", *a.get(0));
    bool wantSuccess = method == "wait_until_succeeds";
    double timeout = timeoutArg(a, 1);
    double start = clock_.nowMs();
    return poll(m,
                fmt::format("`{}` to {}", commandText(command),
                            wantSuccess ? "succeed" : "fail"),
                timeout, [&](std::string& last) -> std::optional<Value> {
                  double left = std::max(1.0, timeout - (clock_.nowMs() - start));
                  machine::ExecResult r = runTestCommand(m, command, left);
                  if (!r.timedOut && (r.status == 0) == wantSuccess)
                    return Value::string(r.stdoutText);
                  last = (r.timedOut ? std::string("timed out")
                                     : fmt::format("exit status {}", r.status)) +
                         "\n" + outputDetails(r);
                  return std::nullopt;
                });
  }
  if (method == "wait_for_unit") {
    if (!a.get(0)) failf("`{}` needs a unit", callee);
    std::string unit = wantString(callee, "unit", *a.get(0));
    std::string query = "systemctl --no-pager show -p ActiveState,SubState,"
                        "LoadState,Result -- " + shellQuote(unit);
    // While the unit has a job in progress, the guest waits for it instead
    // of the host polling: every node has rig-wait@.service (a oneshot
    // ordered after its instance, runtime/vm/node_config.cpp), and
    // `systemctl start` returns when that job has run, i.e. once the unit's
    // own job is done, whatever its result. It never starts the unit; a unit
    // without a job lets it return at once, and polling goes on as before.
    std::string instance = waitInstance(unit);
    std::string waitForJob =
        instance.empty() ? ""
                         : "systemctl start -- " +
                               shellQuote("rig-wait@" + instance + ".service") +
                               " >/dev/null 2>&1; ";
    double timeout = timeoutArg(a, 1);
    double start = clock_.nowMs();
    bool jobSeen = false;  // the last attempt saw the unit's job in progress
    poll(m, fmt::format("unit `{}` to become active on `{}`", unit, m),
         timeout, [&](std::string& last) -> std::optional<Value> {
           double begin = clock_.nowMs();
           bool waiting = jobSeen;
           double left = std::max(1.0, timeout - (begin - start));
           machine::ExecResult r = run(m, waiting ? waitForJob + query : query,
                                  waiting ? left : waitTimeoutMs_);
           if (r.timedOut) return std::nullopt;  // the wait's time is up
           // When a job is seen, the next attempt waits for it at once,
           // unless this one already did and returned at once (a unit in
           // auto-restart has no job): then the usual pause.
           bool againNow = !waiting ||
                           clock_.nowMs() - begin >= options_.pollIntervalMs;
           jobSeen = false;
           Value info = parseProperties(r.stdoutText);
           std::string active = prop(info, "ActiveState");
           last = fmt::format("ActiveState={} SubState={} LoadState={} Result={}",
                              active, prop(info, "SubState"),
                              prop(info, "LoadState"), prop(info, "Result"));
           if (active == "active") return Value();
           Failure f;
           f.machines = {m};
           if (active == "failed") {
             // As in NixOS: a failed unit will not become active by waiting.
             machine::ExecResult journal =
                 run(m, "journalctl -u " + shellQuote(unit) + " -n 20 --no-pager",
                     30'000);
             f.message = fmt::format("unit `{}` failed on `{}` (Result={})", unit,
                                     m, prop(info, "Result"));
             f.details = last + "\njournalctl -u " + unit + " -n 20:\n" +
                         llvm::StringRef(journal.stdoutText + journal.stderrText)
                             .rtrim("\n")
                             .str();
             throw f;
           }
           if (prop(info, "LoadState") == "not-found") {
             f.message = fmt::format("unit `{}` not found on `{}`", unit, m);
             f.details = last;
             throw f;
           }
           if (prop(info, "LoadState") == "masked") {
             // Masked units never start; rig masks some by itself.
             f.message = fmt::format("unit `{}` is masked on `{}`", unit, m);
             f.details = last +
                         "\nrig masks units that no node needs unless the spec "
                         "names them (/etc/rig/masked in the guest lists them; "
                         "docs/running.md says how to keep one)";
             throw f;
           }
           if (active == "activating" || active == "reloading") {
             jobSeen = true;
             pollAgainNow_ = againNow && !waitForJob.empty();
             return std::nullopt;
           }
           if (active == "inactive") {
             // Inactive with nothing queued will stay inactive (NixOS too).
             // --after --before: each job with the jobs it waits for and
             // those waiting for it, for the timeout's last state.
             machine::ExecResult jobs =
                 run(m, "systemctl list-jobs --full --after --before 2>&1", 30'000);
             if (llvm::StringRef(jobs.stdoutText).contains("No jobs")) {
               machine::ExecResult again = run(m, query, waitTimeoutMs_);
               if (prop(parseProperties(again.stdoutText), "ActiveState") ==
                   "inactive") {
                 // The journal says why (often a dependency that failed).
                 machine::ExecResult journal = run(
                     m, "journalctl -u " + shellQuote(unit) + " -n 20 --no-pager",
                     30'000);
                 f.message = fmt::format(
                     "unit `{}` is inactive on `{}` and no job is pending", unit, m);
                 f.details = last + "\njournalctl -u " + unit + " -n 20:\n" +
                             llvm::StringRef(journal.stdoutText + journal.stderrText)
                                 .rtrim("\n")
                                 .str();
                 throw f;
               }
             }
             // A start job is queued (behind the unit's dependencies): wait
             // for it in the guest.
             jobSeen = jobs.stdoutText.find(unit) != std::string::npos;
             pollAgainNow_ = jobSeen && againNow && !waitForJob.empty();
             if (jobSeen)
               last += "\nqueued jobs (systemctl list-jobs --after --before):\n" +
                       lastLines(jobs.stdoutText, 20);
           }
           return std::nullopt;
         });
    return Value();
  }
  if (method == "require_unit_state") {
    if (!a.get(0)) failf("`{}` needs a unit", callee);
    std::string unit = wantString(callee, "unit", *a.get(0));
    std::string want = a.get(1) ? wantString(callee, "state", *a.get(1)) : "active";
    Value info = unitInfo(m, unit);
    std::string active = prop(info, "ActiveState");
    if (active != want) {
      Failure f;
      f.message = fmt::format("unit `{}` on `{}` is {}, expected {}", unit, m,
                              active.empty() ? "(unknown)" : active, want);
      f.details = fmt::format("SubState={} Result={}", prop(info, "SubState"),
                              prop(info, "Result"));
      f.machines = {m};
      throw f;
    }
    return Value();
  }
  if (method == "get_unit_info") {
    if (!a.get(0)) failf("`{}` needs a unit", callee);
    return unitInfo(m, wantString(callee, "unit", *a.get(0)));
  }
  if (method == "systemctl") {
    std::string rest = a.get(0) ? wantString(callee, "args", *a.get(0)) : "";
    return resultObject(run(m, "systemctl " + rest, waitTimeoutMs_));
  }
  if (method == "start_job" || method == "stop_job") {
    if (!a.get(0)) failf("`{}` needs a unit", callee);
    std::string verb = method == "start_job" ? "start" : "stop";
    return resultObject(run(m,
                            "systemctl " + verb + " -- " +
                                shellQuote(wantString(callee, "unit", *a.get(0))),
                            waitTimeoutMs_));
  }
  if (method == "wait_for_open_port" || method == "wait_for_closed_port") {
    if (!a.get(0)) failf("`{}` needs a port", callee);
    int64_t port = wantInt(callee, "port", *a.get(0));
    if (port < 1 || port > 65535) failf("`{}`: port {} out of range", callee, port);
    std::string addr = a.get(1) ? wantString(callee, "addr", *a.get(1)) : "localhost";
    bool wantOpen = method == "wait_for_open_port";
    poll(m,
         fmt::format("TCP port {} on {} to {} on `{}`", port, addr,
                     wantOpen ? "open" : "close", m),
         timeoutArg(a, 2), [&](std::string& last) -> std::optional<Value> {
           ensureStarted(m);
           llvm::Expected<bool> open =
               slots_[m].machine->isPortOpen(addr, int(port));
           if (!open) machineFailed(m, open.takeError(), "checking a port");
           last = *open ? "open" : "closed";
           if (*open == wantOpen) return Value();
           return std::nullopt;
         },
         options_.fastPollIntervalMs);
    return Value();
  }
  if (method == "wait_for_open_unix_socket") {
    if (!a.get(0)) failf("`{}` needs a path", callee);
    std::string path = wantString(callee, "path", *a.get(0));
    poll(m, fmt::format("unix socket {} to accept connections on `{}`", path, m),
         timeoutArg(a, 1), [&](std::string& last) -> std::optional<Value> {
           ensureStarted(m);
           llvm::Expected<bool> open = slots_[m].machine->isUnixSocketOpen(path);
           if (!open) machineFailed(m, open.takeError(), "checking a socket");
           last = *open ? "accepting" : "not accepting";
           if (*open) return Value();
           return std::nullopt;
         },
         options_.fastPollIntervalMs);
    return Value();
  }
  if (method == "wait_for_file") {
    if (!a.get(0)) failf("`{}` needs a path", callee);
    std::string path = wantString(callee, "path", *a.get(0));
    poll(m, fmt::format("file {} to exist on `{}`", path, m), timeoutArg(a, 1),
         [&](std::string& last) -> std::optional<Value> {
           machine::ExecResult r = run(m, "test -e " + shellQuote(path), 30'000);
           last = r.status == 0 ? "exists" : "does not exist";
           if (r.status == 0) return Value();
           return std::nullopt;
         });
    return Value();
  }
  if (method == "wait_for_console_text") {
    if (!a.get(0)) failf("`{}` needs a regex", callee);
    std::string pattern = wantString(callee, "regex", *a.get(0));
    regexSearch(pattern, "");  // a bad pattern fails now, not at the timeout
    ensureStarted(m);
    return poll(
        m, fmt::format("console text matching \"{}\" on `{}`", pattern, m),
        timeoutArg(a, 1), [&](std::string& last) -> std::optional<Value> {
          Slot& s = slots_[m];
          if (s.machine->state() == machine::MachineState::Dead) {
            Failure f;
            f.fatal = true;
            f.message = fmt::format("machine `{}` died unexpectedly", m);
            f.machines = {m};
            throw f;
          }
          // Read from where the last wait stopped, a window at a time: a
          // guest can write gigabytes to its console.
          constexpr size_t kWindow = 1 << 20;
          std::string text = s.machine->consoleRead(s.consoleOffset, kWindow);
          // Each line is matched once: the next wait starts after the match.
          size_t pos = 0;
          while (pos < text.size()) {
            size_t nl = text.find('\n', pos);
            // A line longer than the window is matched by its start.
            bool complete = nl != std::string::npos || text.size() == kWindow;
            size_t end = nl != std::string::npos ? nl : text.size();
            llvm::StringRef line =
                llvm::StringRef(text).slice(pos, end).rtrim("\r");
            if (regexSearch(pattern, line)) {
              s.consoleOffset += std::min(end + 1, text.size());
              return Value::string(line.str());
            }
            if (!complete) break;
            pos = end + 1;
          }
          s.consoleOffset += std::min(pos, text.size());
          llvm::StringRef seen = llvm::StringRef(text).rtrim("\n");
          llvm::StringRef lastLine =
              seen.contains('\n') ? seen.rsplit('\n').second : seen;
          if (!seen.empty())
            last = "last console line: " + terminalText(lastLine.take_back(2000));
          return std::nullopt;
        },
        options_.fastPollIntervalMs);
  }
  if (method == "http") {
    if (!a.get(0) || !a.get(1)) failf("`{}` needs a method and a url", callee);
    machine::HttpRequest request;
    request.maxBodyBytes = options_.maxOutputBytes;
    request.method = wantString(callee, "method", *a.get(0));
    request.url = wantString(callee, "url", *a.get(1));
    bool hasContentType = false;
    if (const Value* headers = a.get(3)) {
      if (headers->kind() != ValueKind::Object)
        failf("`{}`: `headers` must be an object", callee);
      for (const auto& [name, value] : headers->asObject()) {
        request.headers.emplace_back(name, value.str());
        if (llvm::StringRef(name).equals_insensitive("content-type"))
          hasContentType = true;
      }
    }
    if (const Value* body = a.get(2); body && !body->isNull()) {
      if (body->kind() == ValueKind::String) {
        request.body = body->asString();
      } else {
        llvm::raw_string_ostream os(request.body);
        os << body->toJSON();
        os.flush();
        if (!hasContentType)
          request.headers.emplace_back("content-type", "application/json");
      }
    }
    request.timeoutMs = timeoutArg(a, 4);
    ensureStarted(m);
    if (options_.verbosity >= 2 && hooks_.log)
      hooks_.log(fmt::format("{}: {} {}", m, request.method, request.url));
    llvm::Expected<machine::HttpResponse> response = slots_[m].machine->http(request);
    if (!response) {
      llvm::Error error = response.takeError();
      if (slots_[m].machine->state() == machine::MachineState::Dead)
        machineFailed(m, std::move(error), "http");
      // A refused connection or a timeout is the system under test's doing.
      Failure f;
      f.message = fmt::format("http {} {} failed: {}", request.method,
                              request.url, llvm::toString(std::move(error)));
      f.machines = {m};
      throw f;
    }
    ValueObject headers;
    for (const auto& [name, value] : response->headers)
      headers.emplace_back(llvm::StringRef(name).lower(), Value::string(value));
    Value json;
    if (llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(response->body))
      json = Value::fromJSON(*parsed);
    else
      llvm::consumeError(parsed.takeError());
    return Value::object({{"status", Value::integer(response->status)},
                          {"headers", Value::object(std::move(headers))},
                          {"body", Value::string(response->body)},
                          {"json", std::move(json)}});
  }
  if (method == "copy_from_host" || method == "copy_to_host") {
    bool fromHost = method == "copy_from_host";
    if (!a.get(0) || !a.get(1)) failf("`{}` needs two paths", callee);
    std::string hostPath = wantString(callee, "host_path", *a.get(fromHost ? 0 : 1));
    std::string guestPath = wantString(callee, "guest_path", *a.get(fromHost ? 1 : 0));
    // Relative host paths are relative to the suite file, like `file source`.
    if (llvm::sys::path::is_relative(hostPath)) {
      llvm::SmallString<256> base(llvm::sys::path::parent_path(plan_.suitePath));
      llvm::sys::path::append(base, hostPath);
      hostPath = std::string(base);
    }
    ensureStarted(m);
    machine::Machine* vm = slots_[m].machine;
    if (fromHost) {
      // A file, or a directory copied recursively.
      std::vector<std::pair<std::string, std::string>> files;  // host, guest
      if (llvm::sys::fs::is_directory(hostPath)) {
        std::error_code ec;
        for (llvm::sys::fs::recursive_directory_iterator it(hostPath, ec), end;
             it != end && !ec; it.increment(ec)) {
          if (llvm::sys::fs::is_regular_file(it->path())) {
            llvm::StringRef rel = llvm::StringRef(it->path()).drop_front(hostPath.size());
            files.emplace_back(it->path(), guestPath + rel.str());
          }
        }
        if (ec) failf("{}: cannot read {}: {}", callee, hostPath, ec.message());
      } else {
        files.emplace_back(hostPath, guestPath);
      }
      for (const auto& [host, guest] : files) {
        auto buffer = llvm::MemoryBuffer::getFile(host, /*IsText=*/false,
                                                  /*RequiresNullTerminator=*/false);
        if (!buffer)
          failf("{}: cannot read {}: {}", callee, host, buffer.getError().message());
        uint32_t mode = 0644;
        llvm::sys::fs::file_status status;
        if (!llvm::sys::fs::status(host, status)) mode = status.permissions() & 07777;
        run(m, "mkdir -p -- " + shellQuote(llvm::sys::path::parent_path(guest, llvm::sys::path::Style::posix).str()), 30'000);
        if (llvm::Error e = vm->writeFile(guest, (*buffer)->getBuffer(), mode)) {
          if (vm->state() != machine::MachineState::Running)
            machineFailed(m, std::move(e), "copy_from_host");
          failf("{}: cannot write {} in `{}`: {}", callee, guest, m,
                llvm::toString(std::move(e)));
        }
      }
      return Value();
    }
    llvm::Expected<std::string> data = vm->readFile(guestPath);
    if (!data) {
      llvm::Error e = data.takeError();
      if (vm->state() != machine::MachineState::Running)
        machineFailed(m, std::move(e), "copy_to_host");
      failf("{}: cannot read {} in `{}`: {}", callee, guestPath, m,
            llvm::toString(std::move(e)));
    }
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(hostPath));
    std::error_code ec;
    llvm::raw_fd_ostream out(hostPath, ec);
    if (ec) failf("{}: cannot write {}: {}", callee, hostPath, ec.message());
    out << *data;
    return Value();
  }
  if (method == "block" || method == "unblock") {
    ensureStarted(m);
    if (llvm::Error e = slots_[m].machine->setLinksUp(method == "unblock"))
      machineFailed(m, std::move(e), method);
    return Value();
  }
  if (method == "send_monitor_command") {
    if (!a.get(0)) failf("`{}` needs a command", callee);
    ensureStarted(m);
    llvm::Expected<std::string> out = slots_[m].machine->monitorCommand(
        wantString(callee, "command", *a.get(0)));
    if (!out) machineFailed(m, out.takeError(), "send_monitor_command");
    return Value::string(*out);
  }
  if (method == "shell") {
    // `rig run` has no terminal to attach: the hook is only set by
    // `rig repl`.
    if (!hooks_.shell)
      failf("`{}()` is interactive: use it in `rig repl`", callee);
    ensureStarted(m);
    if (llvm::Error e = hooks_.shell(*slots_[m].machine))
      failf("`{}()`: {}", callee, llvm::toString(std::move(e)));
    return Value();
  }
  failf("unknown machine operation `{}`", method);
}

}  // namespace rig::exec
