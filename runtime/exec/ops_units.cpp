// systemd units (language.md section 8): wait_for_unit,
// require_unit_state, get_unit_info, systemctl, start_job, stop_job.
#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "runtime/exec/callables.h"
#include "runtime/exec/interpreter.h"

namespace rig::exec {
namespace {

// `unit` as the instance of rig-wait@.service, whose After=%i names it: with
// systemctl's default suffix (`api` means api.service). %i is the instance
// as written (systemd has no unescaping specifier for dependencies), so a
// name with a character an instance cannot hold gives "" (no waiting in the
// guest; unit names never hold one).
std::string waitInstance(llvm::StringRef unit) {
  static const char* const kSuffixes[] = {
      ".service", ".socket", ".target", ".mount", ".automount", ".swap",
      ".path",    ".timer",  ".slice",  ".scope", ".device"};
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

Value operation_wait_for_unit(Call& c) {
  const std::string& m = c.machine;
  const std::string& unit = c.string(0);
  std::string query =
      "systemctl --no-pager show -p ActiveState,SubState,"
      "LoadState,Result -- " +
      shellQuote(unit);
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
  double timeout = c.timeoutMs(1);
  Clock& clock = c.nodes.clock();
  double start = clock.nowMs();
  bool jobSeen = false;  // the last attempt saw the unit's job in progress
  c.nodes.poll(
      m, fmt::format("unit `{}` to become active on `{}`", unit, m), timeout,
      [&](std::string& last) -> std::optional<Value> {
        double begin = clock.nowMs();
        bool waiting = jobSeen;
        double left = std::max(1.0, timeout - (begin - start));
        machine::ExecResult r =
            c.nodes.run(m, waiting ? waitForJob + query : query,
                        waiting ? left : c.nodes.waitTimeoutMs());
        if (r.timedOut) return std::nullopt;  // the wait's time is up
        // When a job is seen, the next attempt waits for it at once,
        // unless this one already did and returned at once (a unit in
        // auto-restart has no job): then the usual pause.
        bool againNow = !waiting || clock.nowMs() - begin >=
                                        c.nodes.options().pollIntervalMs;
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
          machine::ExecResult journal = c.nodes.run(
              m, "journalctl -u " + shellQuote(unit) + " -n 20 --no-pager",
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
          c.nodes.pollAgainNow(againNow && !waitForJob.empty());
          return std::nullopt;
        }
        if (active == "inactive") {
          // Inactive with nothing queued will stay inactive (NixOS too).
          // --after --before: each job with the jobs it waits for and
          // those waiting for it, for the timeout's last state.
          machine::ExecResult jobs = c.nodes.run(
              m, "systemctl list-jobs --full --after --before 2>&1", 30'000);
          if (llvm::StringRef(jobs.stdoutText).contains("No jobs")) {
            machine::ExecResult again =
                c.nodes.run(m, query, c.nodes.waitTimeoutMs());
            if (prop(parseProperties(again.stdoutText), "ActiveState") ==
                "inactive") {
              // The journal says why (often a dependency that failed).
              machine::ExecResult journal = c.nodes.run(
                  m, "journalctl -u " + shellQuote(unit) + " -n 20 --no-pager",
                  30'000);
              f.message = fmt::format(
                  "unit `{}` is inactive on `{}` and no job is pending", unit,
                  m);
              f.details =
                  last + "\njournalctl -u " + unit + " -n 20:\n" +
                  llvm::StringRef(journal.stdoutText + journal.stderrText)
                      .rtrim("\n")
                      .str();
              throw f;
            }
          }
          // A start job is queued (behind the unit's dependencies): wait
          // for it in the guest.
          jobSeen = jobs.stdoutText.find(unit) != std::string::npos;
          c.nodes.pollAgainNow(jobSeen && againNow && !waitForJob.empty());
          if (jobSeen)
            last += "\nqueued jobs (systemctl list-jobs --after --before):\n" +
                    lastLines(jobs.stdoutText, 20);
        }
        return std::nullopt;
      });
  return Value();
}

Value operation_require_unit_state(Call& c) {
  const std::string& m = c.machine;
  const std::string& unit = c.string(0);
  const std::string& want = c.string(1);
  Value info = c.nodes.unitInfo(m, unit);
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

Value operation_get_unit_info(Call& c) {
  return c.nodes.unitInfo(c.machine, c.string(0));
}

Value operation_systemctl(Call& c) {
  return resultObject(c.nodes.run(c.machine, "systemctl " + c.string(0),
                                  c.nodes.waitTimeoutMs()));
}

static Value job(Call& c, const char* verb) {
  return resultObject(c.nodes.run(
      c.machine,
      std::string("systemctl ") + verb + " -- " + shellQuote(c.string(0)),
      c.nodes.waitTimeoutMs()));
}

Value operation_start_job(Call& c) { return job(c, "start"); }
Value operation_stop_job(Call& c) { return job(c, "stop"); }

}  // namespace rig::exec
