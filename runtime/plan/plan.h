// The plan: the only contract between the compiler and the runtime
// (architecture.md, "The plan"). `rig compile` writes it as JSON; `rig run`
// reads it, possibly on another machine. Everything the runtime needs is
// here, resolved: no name lookup, no module merging, no file reading.
//
// JSON form: see docs/plan.md. Reading validates and names the failing path
// (`plan.nodes[1].vlans[0].address: expected string`).
#ifndef RIG_RUNTIME_PLAN_PLAN_H
#define RIG_RUNTIME_PLAN_PLAN_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "runtime/plan/signatures.h"
#include "runtime/plan/value.h"

namespace rig::plan {

// 3: command operations take `env`, `shell` and `max_output`, `http` its
// `query` (more arguments by position than in 2).
inline constexpr int64_t kPlanVersion = 3;

// A range in one of Plan::sources. Lines and columns are 1-based; columns
// count bytes. An all-zero location means "no location".
struct SourceLoc {
  uint32_t file = 0;  // index into Plan::sources
  uint32_t line = 0;
  uint32_t col = 0;
  uint32_t endLine = 0;
  uint32_t endCol = 0;  // exclusive
};

// The text of every file the suite was compiled from, so the runtime can show
// the failing line with a caret on a machine that does not have the sources.
struct SourceFile {
  std::string path;  // as given on the command line or found on the import path
  std::string text;
};

// ---- Nodes -----------------------------------------------------------------

struct VlanAttachment {
  int64_t vlan = 1;     // 1..254
  std::string address;  // "192.168.VLAN.N"
  int64_t prefixLength = 24;
  std::string mac;  // "52:54:00:12:VV:NN" (hex vlan, position), deterministic
  std::string address6;  // "fd00:VLAN::N"; "" in plans older than IPv6
  int64_t prefixLength6 = 64;
  // Extra addresses on this interface, "ADDRESS/PREFIX", either family
  // (`addresses` beyond the first of a family on the vlan).
  std::vector<std::string> extraAddresses;
};

struct HostEntry {
  std::string address;
  std::string name;
};

struct File {
  std::string path;  // absolute in the guest
  std::string content;
  std::string mode = "0644";
  std::string owner = "root";
  std::string group = "root";
};

struct User {
  std::string name;
  std::optional<int64_t> uid;
  bool system = false;
  std::string home;  // "" = default (/home/NAME, or / for system users)
  std::string
      shell;  // "" = default (/bin/sh, or /usr/sbin/nologin for system users)
  std::vector<std::string> groups;
  // The primary group; "" = a group named as the user (made when the host
  // has none).
  std::string group;
  bool createHome = true;               // false: no home directory is made
  std::optional<std::string> password;  // plain text; absent = locked
};

struct Group {
  std::string name;
  std::optional<int64_t> gid;
};

// A systemd unit file, complete. `wantedBy` names the targets whose
// `.wants/` directory links to it (the runtime makes the links).
struct Unit {
  std::string name;  // "todo-api.service"
  std::string content;
  std::vector<std::string> wantedBy;
};

struct Firewall {
  bool enable = true;
  std::vector<int64_t> allowTcp;
  std::vector<int64_t> allowUdp;
  // The nftables ruleset (input filter) the compiler generated; the compiler
  // also emits the file and the unit that loads it, so the runtime has
  // nothing firewall-specific to do.
  std::string rules;
};

// State built once on the host, cached, mounted in the guest (language.md 4a).
struct Prepare {
  std::string name;
  std::string user = "nobody";
  std::string run;
  std::string mountAt;
  std::string cacheKey;             // hex digest; see docs/prepare.md
  std::vector<std::string> inputs;  // host paths hashed into the key
  SourceLoc loc;
  // A top-level step that nodes share: the packages whose host versions key
  // it (else the node's packages do).
  std::optional<std::vector<std::string>> packages;
};

// An extra virtio disk (`disk "/data" { size, fs }`): an image in the run
// directory, formatted on the host at the node's first start, mounted at
// `path` by the guest's stage 1 and kept across power cycles.
struct Disk {
  std::string path;
  int64_t sizeBytes = 0;
  std::string fs = "ext4";  // ext4, ext3 or ext2
};

struct Node {
  std::string name;
  SourceLoc loc;
  int64_t memoryBytes = 512ll << 20;
  int64_t cpus = 1;
  std::vector<VlanAttachment> vlans;
  std::vector<HostEntry> hosts;  // /etc/hosts lines for every node (and itself)
  std::vector<std::string> nameservers;  // /etc/resolv.conf; empty: the host's
  std::vector<std::string> packages;
  // Units started in the boot target that the node does not declare: a
  // Debian package's (/usr/lib/systemd/system) or the spec's own.
  std::vector<std::string> enable;
  std::vector<std::string> kernelParams;
  std::vector<std::pair<std::string, std::string>> sysctl;
  Firewall firewall;
  std::vector<Unit> units;  // includes generated service and firewall units
  std::vector<File> files;  // includes generated files (firewall rules, ...)
  std::vector<User> users;
  std::vector<Group> groups;
  std::vector<Prepare> prepares;
  std::vector<Disk> disks;  // in declaration order: serial rig-disk0, 1, ...
  std::string bootTarget = "rig.target";
  // The shell of test commands: "bash" (`bash -euo pipefail -c`, as NixOS)
  // or "sh" (`sh -c`). Written to JSON only when it is "sh".
  std::string testShell = "bash";
  // Environment variables of every test command on this node (test_env).
  std::vector<std::pair<std::string, std::string>> testEnv;
  // "vm" (QEMU) or "container" (systemd-nspawn): docs/running.md.
  std::string backend = "vm";
};

// ---- Test programs ----------------------------------------------------------

enum class ExprKind : uint8_t {
  Literal,      // literal
  Var,          // name: a local, a parameter, a global, a node
  List,         // args = elements
  Object,       // keys[i] -> args[i]
  Interpolate,  // args = parts, concatenated with str()
  Unary,        // op ("-", "not"), args[0]
  Binary,       // op, args[0], args[1]; "and"/"or" short-circuit
  If,           // args[0] ? args[1] : args[2]
  Member,       // args[0].name
  Index,        // args[0][args[1]]
  Call,         // name(args..., named...): a builtin or a fn
  Method,       // args[0].name(args[1..]...): machine operations
  Absent,       // an optional parameter of a builtin or operation not given
  ListFor,      // [for name in args[0] if args[2]: args[1]]; args[2] optional
};

struct Expr;

struct NamedArg {
  std::string name;
  std::vector<Expr>
      value;  // exactly one element (vector for an incomplete type)
};

struct Expr {
  ExprKind kind = ExprKind::Literal;
  SourceLoc loc;
  Value literal;
  std::string name;  // variable, member, op, callee or method
  std::vector<Expr> args;
  std::vector<std::string> keys;
  std::vector<NamedArg> named;  // fn calls only
  // A builtin (Call) or operation (Method) of signatures.h, set by
  // resolveCalls: its args are the parameters in order, then the extra
  // positional arguments of a variadic one. nullptr for a fn call.
  const Signature* callee = nullptr;
};

enum class StmtKind : uint8_t {
  Let,         // name = expr
  Expect,      // expr, optional message
  Eval,        // expr, for its effect
  If,          // expr ? body : elseBody
  For,         // for name in expr { body }
  Subtest,     // name, body
  Eventually,  // timeout (optional), body
  Return,      // optional expr (message holds nothing)
  Parallel,    // body = Branch statements, run at the same time
  Branch,      // name ("" = unnamed), body
};

struct Stmt {
  StmtKind kind = StmtKind::Eval;
  SourceLoc loc;
  std::string name;
  std::optional<Expr> expr;
  std::optional<Expr> message;  // Expect
  std::optional<Expr> timeout;  // Eventually
  std::vector<Stmt> body;
  std::vector<Stmt> elseBody;
};

struct Param {
  std::string name;
  std::optional<Expr> defaultValue;
};

struct Function {
  std::string name;  // resolved, e.g. "common.helper"
  SourceLoc loc;
  std::vector<Param> params;
  std::vector<Stmt> body;
};

// A top-level `let` of the suite or an imported module, by resolved name.
// Globals are evaluated in order before the first test.
struct Global {
  std::string name;
  Expr value;
};

struct Test {
  std::string name;
  SourceLoc loc;
  std::vector<Stmt> body;
};

struct Settings {
  double waitTimeoutMs = 900'000;        // default for every wait
  double eventuallyTimeoutMs = 300'000;  // default for `eventually`
  std::optional<double> suiteTimeoutMs;  // meta { timeout } or rig.toml
  std::vector<std::string> tags;
};

struct Plan {
  int64_t version = kPlanVersion;
  std::string hash;       // hex SHA-256 of the canonical JSON without "hash"
  std::string suiteName;  // file stem
  std::string suitePath;
  Settings settings;
  std::vector<SourceFile> sources;        // [0] is the suite itself
  std::vector<std::string> hostPackages;  // union of every node's packages
  std::vector<Node> nodes;                // sorted by name
  std::vector<Global> globals;
  std::vector<Function> functions;
  std::vector<Test> tests;  // in file order
};

// JSON (llvm::json) conversion. fromJSON reports the exact failing path.
llvm::json::Value toJSON(const Plan& plan);
llvm::Expected<Plan> planFromJSON(const llvm::json::Value& json);
llvm::Expected<Plan> parsePlan(llvm::StringRef text);  // also checks the hash
std::string writePlan(const Plan& plan);               // pretty, with hash
// The pretty form writePlan uses: sorted keys, scalar arrays on one line.
std::string formatJSON(const llvm::json::Value& json);

// The JSON form of a literal Value inside an Expr. Unlike Value::toJSON it
// keeps every kind distinct: plain JSON for null, bool, int, string and
// lists; one-key objects {"float": 1.0}, {"duration_ms": 1500},
// {"size_bytes": 1024}, {"machine": "server"}, {"object": [["k", v], ...]}.
llvm::json::Value literalToJSON(const Value& value);
bool literalFromJSON(const llvm::json::Value& json, Value& out,
                     llvm::json::Path path);

// Computes Plan::hash over everything else.
std::string computeHash(const Plan& plan);

// Points every builtin call and machine operation at its signature
// (Expr::callee) and checks that its arguments are positional, one per
// parameter (an `absent` expr for an optional one not given): what lowering
// makes of named arguments and defaults. parsePlan calls it; so does
// lowering. Errors name the call (`plan.tests[0]...: unknown builtin`).
llvm::Error resolveCalls(Plan& plan);
// The same for statements added later (`rig repl`) to `plan`.
llvm::Error resolveCalls(const Plan& plan, std::vector<Stmt>& body);

// Validation beyond types: unique node names, vlans 1..254, ports, absolute
// paths. Errors name the path (`plan.nodes[1].vlans[0].vlan`).
llvm::Error validate(const Plan& plan);

}  // namespace rig::plan

#endif
