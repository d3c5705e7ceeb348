// Phase entry: a checked Program -> the plan (runtime/plan/plan.h).
//
// Nodes are sorted by name and numbered 1.. in that order (the N of
// 192.168.VLAN.N, as in NixOS); each gets its vlan attachments with
// deterministic MACs, /etc/hosts entries for every node it shares a vlan
// with, the systemd units generated from its `service` blocks, its raw
// units, files (with `source` contents embedded), users, groups, an
// nftables firewall (a file plus the unit that loads it), sysctl settings,
// packages and prepare steps with their cache keys. Test code becomes plan
// Expr/Stmt trees with source locations; constant expressions are folded to
// literals. Every source text goes into plan.sources.
#ifndef RIG_COMPILER_LOWER_LOWER_H
#define RIG_COMPILER_LOWER_LOWER_H

#include <optional>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/sema.h"
#include "runtime/plan/plan.h"

namespace rig::lower {

struct Options {
  // Defaults of the plan's settings (rig.toml [run] overrides them; the
  // suite's `meta { timeout }` wins over suiteTimeoutMs).
  double waitTimeoutMs = 900'000;
  double eventuallyTimeoutMs = 300'000;
  std::optional<double> suiteTimeoutMs;
};

// `program` must be ok. Returns nullopt after reporting when the suite
// cannot be laid out (more nodes than addresses on a vlan).
std::optional<plan::Plan> lower(const sema::Program& program,
                                const Options& options, diag::Emitter& emitter);

// Statements typed at `rig repl` (checked with sema::checkStatements) ->
// plan statements for the plan that lower() made of `program`. The text of
// `input`, the file they were parsed from, is appended to plan.sources so
// that failures show it.
std::vector<plan::Stmt> lowerStatements(
    const sema::Program& program, const std::vector<ast::StmtPtr>& statements,
    FileId input, plan::Plan& plan);

// The generated pieces, exposed for unit tests and `rig repl`.
std::string serviceUnit(const sema::Service& service);
std::string firewallRules(const sema::NodeConfig& node);
std::string firewallUnit();
// The `.mount` unit of a `mount` block.
std::string mountUnit(const sema::MountEntry& m);
std::string prepareCacheKey(const sema::PrepareEntry& prepare,
                            const std::vector<std::string>& packages);
std::string macAddress(int64_t vlan, int64_t position);

}  // namespace rig::lower

#endif
