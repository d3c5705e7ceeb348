// Phase entry: a parsed suite -> a checked Program (language.md sections 3-9).
//
// check() loads and parses the suite's imports (the stdlib and relative
// files), resolves every name, evaluates the constant `let`s, merges the
// modules each node uses into the node's configuration, validates that
// configuration against the attribute table of section 4, and type-checks
// the test code (builtins of section 7, machine operations of section 8).
// Every user mistake is a diagnostic on the emitter; the Program is always
// returned and `ok` says whether lowering may go on.
#ifndef RIG_COMPILER_SEMA_SEMA_H
#define RIG_COMPILER_SEMA_SEMA_H

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/plan/value.h"

namespace rig::plan {
struct Signature;
}

namespace rig::sema {

struct Options {
  // `import "std/NAME"` reads `<stdlibDir>/NAME.rig`. The driver passes
  // `<exe dir>/stdlib`.
  std::string stdlibDir;
  // Checked after stdlibDir for `std/NAME`, in order (tests use a trimmed
  // prelude here).
  std::vector<std::string> searchPath;
  // Node backends (docs/running.md): `forcedBackend` ("vm" or "container",
  // `rig run --backend`) puts every node there; otherwise a node's
  // `backend` attribute, else `defaultBackend` (rig.toml's [run] backend).
  std::string forcedBackend;
  std::string defaultBackend = "vm";
};

// ---- Declarations ---------------------------------------------------------------

enum class SymbolKind : uint8_t {
  Let,     // a top-level `let` (constant or global)
  Fn,      // a function
  Module,  // a module
  Node,    // a node (a machine in test code)
  Import,  // an import with `as ALIAS`
};

struct SourceUnit;

// One top-level declaration of the suite or of an imported file.
struct Symbol {
  SymbolKind kind = SymbolKind::Let;
  std::string name;           // as declared
  std::string qualifiedName;  // unique in the program: `x` in the suite,
                              // `FILE-STEM.x`-like names for imported files
  const SourceUnit* unit = nullptr;  // the file declaring it
  SourceRange range;
  SourceRange nameRange;
  const ast::Let* let = nullptr;
  const ast::Fn* fn = nullptr;
  const ast::Module* module = nullptr;
  const ast::Node* node = nullptr;
  const ast::Import* import = nullptr;
  const SourceUnit* imported = nullptr;  // Import: the file it names

  // Let: the value when it is known at compile time. Lets without one are
  // evaluated by the runtime before the first test (plan globals).
  std::optional<Value> constant;
  // References from anywhere in the program (code, node bodies, `use`).
  unsigned uses = 0;
};

// A parsed file with its scope.
struct SourceUnit {
  FileId file = 0;
  std::string path;
  ast::File ast;
  bool isSuite = false;
  // Names visible at the top level of this file: its own declarations,
  // those of imports without `as`, and the aliases.
  llvm::StringMap<Symbol*> scope;
  // Parallel to ast.imports: the loaded file, or null when it failed.
  std::vector<const SourceUnit*> imports;
};

// ---- Resolved node configuration (section 4, modules merged) --------------------

// Where a merged value came from: the node itself or `use MODULE`.
struct Origin {
  SourceRange range;     // the attribute or block
  std::string module;    // "" when set by the node itself
  SourceRange useRange;  // the `use` item, when from a module
  // A block's attributes as written, each with its range, so that a
  // diagnostic about one of them points at it rather than at the block.
  std::vector<std::pair<std::string, SourceRange>> attributes;

  // The range of the block's attribute `name`; the block's when it has none.
  SourceRange at(llvm::StringRef name) const {
    for (const auto& [attr, where] : attributes)
      if (attr == name) return where;
    return range;
  }
};

struct Port {
  int64_t port = 0;
  Origin origin;
  int64_t last =
      0;  // the range's last port (`allow_tcp_ranges`); 0: `port` only
  std::string iface;  // `interface "eth1"`; "" for every interface
};

// An IP protocol the firewall lets in (`allow_protocols`).
struct Protocol {
  std::string name;  // "vrrp"
  int64_t number = 0;
  std::string iface;  // "" for every interface
  Origin origin;
};

struct Service {
  std::string name;  // without `.service`
  Origin origin;
  std::string exec;
  std::string description;
  std::string type;  // "" = simple
  std::string user, group, workingDir;
  std::vector<std::pair<std::string, std::string>> environment;
  std::vector<std::string> execStartPre, execStartPost;
  std::string execStop;
  std::vector<std::string> after, before, requiredUnits, wants;
  std::string restart;  // "" = systemd's default
  std::optional<bool> remainAfterExit;
  std::optional<std::vector<std::string>> wantedBy;  // unset = boot target
  std::vector<std::string> extra;                    // raw [Service] lines
};

struct RawUnit {
  std::string name;  // "x.timer"
  std::string content;
  Origin origin;
};

struct FileEntry {
  std::string path;
  std::string content;
  std::string sourcePath;  // host path of `source` (resolved), "" for content
  std::string mode = "0644";
  std::string owner = "root";
  std::string group = "root";
  Origin origin;
};

struct UserEntry {
  std::string name;
  std::optional<int64_t> uid;
  bool system = false;
  std::string home, shell;
  std::vector<std::string> groups;
  std::string group;  // the primary group; "" = the user's own
  bool createHome = true;
  std::optional<std::string> password;
  Origin origin;
};

struct GroupEntry {
  std::string name;
  std::optional<int64_t> gid;
  Origin origin;
};

struct PrepareEntry {
  std::string name;
  std::string user = "nobody";
  std::string run;
  std::string mountAt;
  Origin origin;
  // A top-level step that nodes share: its cache is keyed by its own
  // `packages`, not by each node's.
  bool shared = false;
  std::vector<std::string> packages;
};

// One entry of `addresses`: an address (with its prefix length) in the
// subnet of one of the node's vlans.
struct AddressEntry {
  std::string address;  // as written, without the prefix
  int64_t prefixLength = 24;
  bool v6 = false;
  int64_t vlan = 0;  // resolved by NodeBuilder::finish (0: none fits)
  Origin origin;
};

// A node's addresses on one vlan, final: rig's defaults (192.168.VLAN.N,
// fd00:VLAN::N) unless `addresses` replaced them, plus extra addresses.
struct Attachment {
  int64_t vlan = 1;
  std::string address;  // IPv4, without prefix (/24)
  int64_t prefixLength = 24;
  std::string address6;  // IPv6, without prefix (/64)
  int64_t prefixLength6 = 64;
  std::vector<std::string> extra;  // "ADDRESS/PREFIX", either family
};

// `disk "/data" { size, fs }`.
struct DiskEntry {
  std::string path;
  int64_t sizeBytes = 0;
  std::string fs = "ext4";
  Origin origin;
};

// `mount "/data" { what, type, options }`: a systemd .mount unit.
struct MountEntry {
  std::string path;
  std::string unit;  // "data.mount"
  std::string what, type;
  std::vector<std::string> options;
  Origin origin;
};

// A `use` of a module by a node, with its parameter values.
struct ModuleUse {
  const Symbol* module = nullptr;
  SourceRange range;
  std::vector<std::pair<std::string, Value>> params;  // every param, resolved
};

struct NodeConfig {
  const Symbol* symbol = nullptr;
  std::string name;
  SourceRange range;
  int64_t memoryBytes = 512ll << 20;
  int64_t cpus = 1;
  std::string testShell = "bash";  // the shell of test commands: bash or sh
  std::vector<int64_t> vlans;      // [1] unless set
  std::vector<AddressEntry> addresses;   // `addresses`, in order
  std::vector<std::string> nameservers;  // `nameservers`: /etc/resolv.conf
  // The node's 1-based position among the suite's nodes by name (the N of
  // 192.168.VLAN.N) and its final addresses, one per vlan in `vlans` order.
  int64_t position = 0;
  std::vector<Attachment> attachments;
  std::vector<std::string> packages;
  std::vector<std::string> enable;  // units started in the boot target
  std::vector<std::string> kernelParams;
  std::vector<std::pair<std::string, std::string>> sysctl;
  // Environment of the node's test commands (`test_env`).
  std::vector<std::pair<std::string, std::string>> testEnv;
  // `path`: directories put before the default PATH of test commands and
  // services.
  std::vector<std::string> path;
  SourceRange pathRange;  // the first `path`, if any
  bool firewallEnable = true;
  std::vector<Port> allowTcp, allowUdp;
  std::vector<Protocol> allowProtocols;
  bool firewallReject = false;      // refused packets get a reset / ICMP error
  bool firewallLogRefused = false;  // refused connections go to the kernel log
  std::vector<std::string> firewallExtraRules;  // nft lines, each `extra_rules`
  std::vector<Service> services;
  std::vector<RawUnit> units;
  std::vector<FileEntry> files;
  std::vector<UserEntry> users;
  std::vector<GroupEntry> groups;
  std::vector<PrepareEntry> prepares;
  std::vector<DiskEntry> disks;
  std::vector<MountEntry> mounts;
  std::vector<ModuleUse> uses;
  std::string backend = "vm";     // "vm" or "container", after Options
  SourceRange kernelParamsRange;  // the first `kernel_params`, if any

  // Every unit this node declares: `NAME.service` for services, raw units,
  // `rig-firewall.service` when the firewall is on.
  std::vector<std::string> unitNames() const;
};

// ---- Test code --------------------------------------------------------------------

// What an identifier in code refers to.
enum class RefKind : uint8_t {
  Local,    // a `let` in a block, or a `for` variable
  Param,    // a parameter of the enclosing fn
  Global,   // a top-level let (symbol)
  Fn,       // a function (symbol), only as a callee
  Node,     // a node: a machine value (symbol)
  Builtin,  // a builtin function, only as a callee
  Import,   // an import alias, only before `.`
};

struct Ref {
  RefKind kind = RefKind::Local;
  const Symbol* symbol = nullptr;       // Global, Fn, Node, Import
  const ast::Stmt* local = nullptr;     // Local: the `let` or `for` statement
  const ast::FnParam* param = nullptr;  // Param
};

enum class CallKind : uint8_t { Builtin, Fn, Method };

struct Call {
  CallKind kind = CallKind::Builtin;
  std::string name;            // builtin, method, or fn qualified name
  const Symbol* fn = nullptr;  // Fn
  // Method: the receiver's node when it is known at compile time ("" when
  // the receiver is only known at run time).
  std::string node;
  // Builtin and Method: the table entry (runtime/plan/signatures.h), and the
  // argument given for each of its parameters (nullptr: not given), then
  // the extra positional arguments of a variadic one. Lowering passes them
  // in this order, so the runtime never matches names.
  const plan::Signature* entry = nullptr;
  std::vector<const ast::Expr*> args;
  std::vector<const ast::Expr*> rest;
};

// A rough static type, for checking arguments and operators. Unknown means
// "not known at compile time" and never causes an error.
enum class Type : uint8_t {
  Unknown,
  Null,
  Bool,
  Int,
  Float,
  String,
  Duration,
  Size,
  List,
  Object,
  Machine,
};
llvm::StringRef typeName(Type type);

struct Program {
  bool ok = false;  // no errors: lowering may run
  const SourceFiles* sources = nullptr;
  // [0] is the suite; imports follow in load order. Stable addresses.
  std::vector<std::unique_ptr<SourceUnit>> units;
  std::vector<std::unique_ptr<Symbol>> symbols;  // every declaration

  std::vector<NodeConfig> nodes;        // in declaration order
  std::vector<const ast::Test*> tests;  // in file order
  std::optional<double> timeoutMs;      // meta { timeout }
  std::vector<std::string> tags;        // meta { tags }

  // Resolution of code in tests, fns and non-constant lets, keyed by AST node:
  llvm::DenseMap<const ast::Expr*, Ref>
      refs;  // every Ident (and alias.x Member)
  llvm::DenseMap<const ast::Expr*, Call> calls;  // every Call
  llvm::DenseMap<const ast::Expr*, Type>
      types;  // every Expr whose type is known
  // Expressions whose value is known at compile time (constant lets, literal
  // strings, interpolations of constants, ...), maximal or not.
  llvm::DenseMap<const ast::Expr*, Value> constants;
  // Module parameters that no body expression of their module reads.
  std::vector<const ast::Item*> unusedParams;

  const SourceUnit& suite() const { return *units.front(); }
  const NodeConfig* node(llvm::StringRef name) const;
  const Value* constant(const ast::Expr& e) const;
  const Ref* ref(const ast::Expr& e) const;
  const Call* call(const ast::Expr& e) const;
};

// Checks the suite `suite` (already added to `sources`; check parses it).
// Imports are added to `sources` as they are loaded.
Program check(SourceFiles& sources, FileId suite, const Options& options,
              diag::Emitter& emitter);

// ---- rig repl ----------------------------------------------------------------------

// The names defined by the statements typed at `rig repl` so far (their
// top-level `let`s), seen on top of the suite's top-level scope. The
// statements' ASTs must outlive it.
class ReplScope {
 public:
  ReplScope();
  ~ReplScope();
  ReplScope(const ReplScope&) = delete;
  ReplScope& operator=(const ReplScope&) = delete;
  struct Impl;
  std::unique_ptr<Impl> impl;
};

// Checks `statements` (one input of `rig repl`, parsed with
// parse::parseStatements) as if they were the rest of a test body in the
// suite of `program` (which must be ok), after the earlier inputs of
// `scope`. Resolutions go into `program` as for tests, so the statements can
// be lowered with lower::lowerStatements. Returns false after reporting
// errors; `scope` learns the statements' `let`s only when there were none.
bool checkStatements(Program& program, SourceFiles& sources,
                     const Options& options,
                     const std::vector<ast::StmtPtr>& statements,
                     ReplScope& scope, diag::Emitter& emitter);

// A stable text dump of the checked program (constants, merged node
// configuration, calls in tests) for golden tests and `rig check --dump`.
void dump(const Program& program, llvm::raw_ostream& os);

// systemd-escape --path --suffix=mount: "/var/lib/x" -> "var-lib-x.mount".
std::string mountUnitName(llvm::StringRef path);

// Section 4: what a node body and its blocks accept, with types and
// documentation (node_items.def). The checker, completion and hover read
// it; the builtins and machine operations are runtime/plan/signatures.h's.
struct NodeItem {
  const char* block;  // "" for the node body, else the block's kind
  const char* name;
  bool isBlock;      // a block of the node body
  const char* type;  // "size = 512MiB"; for a block, how it is written
  const char* doc;
};
std::span<const NodeItem> nodeItems();
const NodeItem* findNodeItem(llvm::StringRef block, llvm::StringRef name);
// The attribute names of `block` ("" for the node body).
std::vector<std::string> nodeAttributeNames(llvm::StringRef block);
std::vector<llvm::StringRef> nodeAttributes();
std::vector<llvm::StringRef> nodeBlocks();

}  // namespace rig::sema

#endif
