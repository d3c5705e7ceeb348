// Plan <-> JSON. The schema is documented in docs/plan.md; keep both in step.
//
// Writing omits fields that hold their default (empty lists, false flags),
// reading accepts both. Errors name the JSON path:
// `plan.nodes[1].vlans[0].address: expected string`.
#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Base64.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/plan/plan.h"

namespace rig::plan {

namespace json = llvm::json;

// ---- Small helpers ---------------------------------------------------------------

static json::Value toJSON(const SourceLoc& l) {
  return json::Array{l.file, l.line, l.col, l.endLine, l.endCol};
}

static bool fromJSON(const json::Value& v, SourceLoc& l, json::Path p) {
  const json::Array* a = v.getAsArray();
  if (!a || a->size() != 5) {
    p.report("expected [file, line, col, end_line, end_col]");
    return false;
  }
  uint32_t* out[] = {&l.file, &l.line, &l.col, &l.endLine, &l.endCol};
  for (size_t i = 0; i < 5; ++i) {
    auto n = (*a)[i].getAsInteger();
    if (!n || *n < 0 || *n > UINT32_MAX) {
      p.index(i).report("expected a non-negative integer");
      return false;
    }
    *out[i] = static_cast<uint32_t>(*n);
  }
  return true;
}

static bool hasLoc(const SourceLoc& l) { return l.file || l.line || l.col; }

template <typename T>
static json::Array toArray(const std::vector<T>& items) {
  json::Array out;
  for (const T& item : items) out.push_back(toJSON(item));
  return out;
}

static json::Array toArray(const std::vector<std::string>& items) {
  return json::Array(items);
}

static json::Array toArray(const std::vector<int64_t>& items) {
  return json::Array(items);
}

template <typename T>
static bool fromJSON(const json::Value& v, std::optional<T>& out,
                     json::Path p) {
  if (v.getAsNull()) {
    out.reset();
    return true;
  }
  T value{};
  if (!fromJSON(v, value, p)) return false;
  out = std::move(value);
  return true;
}

// ObjectMapper::mapOptional for std::optional of a builtin type (ADL cannot
// find the std::optional overload above from inside llvm::json).
template <typename T>
static bool mapOpt(const json::Value& v, llvm::StringLiteral key,
                   std::optional<T>& out, json::Path p) {
  const json::Value* e = v.getAsObject()->get(key);
  if (!e || e->getAsNull()) {
    out.reset();
    return true;
  }
  T value{};
  if (!llvm::json::fromJSON(*e, value, p.field(key))) return false;
  out = std::move(value);
  return true;
}

// `content` holds UTF-8 text as is; anything else travels as base64 in
// `content_base64` (llvm::json would otherwise replace invalid bytes).
// Encoding is llvm::encodeBase64; LLVM 14 has no decoder, hence this one.
static const char kBase64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static std::optional<std::string> decodeBase64(llvm::StringRef text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const char* pos = std::strchr(kBase64, c);
    if (!pos || c == '\0') return std::nullopt;
    acc = (acc << 6) | uint32_t(pos - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

// ---- Literal values ------------------------------------------------------------------
//
// null, booleans, ints, strings and lists are plain JSON. Everything that
// plain JSON would blur is a one-key object: {"float": 1.0} for a float with
// an integral value (which would otherwise read back as an int),
// {"duration_ms": 1500}, {"size_bytes": 1024}, {"machine": "server"} and
// {"object": [["key", value], ...]} (keeps key order).

json::Value literalToJSON(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Null: return nullptr;
    case ValueKind::Bool: return v.asBool();
    case ValueKind::Int: return v.asInt();
    case ValueKind::Float:
      if (std::isfinite(v.asFloat()) && v.asFloat() == std::trunc(v.asFloat()))
        return json::Object{{"float", v.asFloat()}};
      return v.asFloat();
    case ValueKind::String: return v.asString();
    case ValueKind::Duration:
      return json::Object{{"duration_ms", v.asDurationMs()}};
    case ValueKind::Size: return json::Object{{"size_bytes", v.asSizeBytes()}};
    case ValueKind::Machine: return json::Object{{"machine", v.asString()}};
    case ValueKind::List: {
      json::Array out;
      for (const Value& e : v.asList()) out.push_back(literalToJSON(e));
      return out;
    }
    case ValueKind::Object: {
      json::Array fields;
      for (const auto& [k, e] : v.asObject())
        fields.push_back(json::Array{k, literalToJSON(e)});
      return json::Object{{"object", std::move(fields)}};
    }
  }
  return nullptr;
}

bool literalFromJSON(const json::Value& v, Value& out, json::Path p) {
  switch (v.kind()) {
    case json::Value::Null: out = Value(); return true;
    case json::Value::Boolean:
      out = Value::boolean(*v.getAsBoolean());
      return true;
    case json::Value::Number:
      if (auto i = v.getAsInteger())
        out = Value::integer(*i);
      else
        out = Value::floating(*v.getAsNumber());
      return true;
    case json::Value::String:
      out = Value::string(v.getAsString()->str());
      return true;
    case json::Value::Array: {
      ValueList items;
      const json::Array& a = *v.getAsArray();
      for (size_t i = 0; i < a.size(); ++i) {
        Value e;
        if (!literalFromJSON(a[i], e, p.index(i))) return false;
        items.push_back(std::move(e));
      }
      out = Value::list(std::move(items));
      return true;
    }
    case json::Value::Object: break;
  }
  const json::Object& o = *v.getAsObject();
  if (o.size() != 1) {
    p.report(
        "expected a literal: one of float, duration_ms, size_bytes, "
        "machine, object");
    return false;
  }
  if (const json::Value* f = o.get("float")) {
    auto d = f->getAsNumber();
    if (!d) return p.field("float").report("expected number"), false;
    out = Value::floating(*d);
    return true;
  }
  if (const json::Value* f = o.get("duration_ms")) {
    auto d = f->getAsNumber();
    if (!d) return p.field("duration_ms").report("expected number"), false;
    out = Value::duration(*d);
    return true;
  }
  if (const json::Value* f = o.get("size_bytes")) {
    auto i = f->getAsInteger();
    if (!i) return p.field("size_bytes").report("expected integer"), false;
    out = Value::size(*i);
    return true;
  }
  if (const json::Value* f = o.get("machine")) {
    auto s = f->getAsString();
    if (!s) return p.field("machine").report("expected string"), false;
    out = Value::machine(s->str());
    return true;
  }
  if (const json::Value* f = o.get("object")) {
    const json::Array* a = f->getAsArray();
    json::Path fp = p.field("object");
    if (!a) return fp.report("expected array of [key, value]"), false;
    ValueObject fields;
    for (size_t i = 0; i < a->size(); ++i) {
      const json::Array* kv = (*a)[i].getAsArray();
      if (!kv || kv->size() != 2 || !(*kv)[0].getAsString())
        return fp.index(i).report("expected [key, value]"), false;
      Value e;
      if (!literalFromJSON((*kv)[1], e, fp.index(i).index(1))) return false;
      fields.emplace_back((*kv)[0].getAsString()->str(), std::move(e));
    }
    out = Value::object(std::move(fields));
    return true;
  }
  p.report(
      "expected a literal: one of float, duration_ms, size_bytes, "
      "machine, object");
  return false;
}

// ---- Expressions and statements ---------------------------------------------------

static const char* const kExprKinds[] = {
    "literal", "var",    "list",   "object",  "interpolate",
    "unary",   "binary", "if",     "member",  "index",
    "call",    "method", "absent", "list_for"};
static const char* const kStmtKinds[] = {
    "let",     "expect",     "eval",   "if",       "for",
    "subtest", "eventually", "return", "parallel", "branch"};

static json::Value toJSON(const Expr& e);

static json::Value toJSON(const NamedArg& a) {
  return json::Object{{"name", a.name},
                      {"value", a.value.empty() ? json::Value(nullptr)
                                                : toJSON(a.value.front())}};
}

static json::Value toJSON(const Expr& e) {
  json::Object o{{"kind", kExprKinds[static_cast<int>(e.kind)]}};
  if (hasLoc(e.loc)) o["loc"] = toJSON(e.loc);
  if (e.kind == ExprKind::Literal) o["value"] = literalToJSON(e.literal);
  if (!e.name.empty()) o["name"] = e.name;
  if (!e.args.empty()) o["args"] = toArray(e.args);
  if (!e.keys.empty()) o["keys"] = toArray(e.keys);
  if (!e.named.empty()) o["named"] = toArray(e.named);
  return o;
}

template <typename Enum, size_t N>
static bool enumFromJSON(const json::Value& v, Enum& out,
                         const char* const (&names)[N], json::Path p) {
  if (auto s = v.getAsString()) {
    for (size_t i = 0; i < N; ++i) {
      if (*s == names[i]) {
        out = static_cast<Enum>(i);
        return true;
      }
    }
  }
  p.report("unknown kind");
  return false;
}

static bool fromJSON(const json::Value& v, Expr& e, json::Path p);

static bool fromJSON(const json::Value& v, NamedArg& a, json::Path p) {
  json::ObjectMapper o(v, p);
  a.value.resize(1);
  return o && o.map("name", a.name) && o.map("value", a.value[0]);
}

static bool fromJSON(const json::Value& v, Expr& e, json::Path p) {
  json::ObjectMapper o(v, p);
  if (!o) return false;
  const json::Value* kind = v.getAsObject()->get("kind");
  if (!kind) return p.field("kind").report("missing value"), false;
  if (!enumFromJSON(*kind, e.kind, kExprKinds, p.field("kind"))) return false;
  if (e.kind == ExprKind::Literal) {
    const json::Value* value = v.getAsObject()->get("value");
    if (!value) return p.field("value").report("missing value"), false;
    if (!literalFromJSON(*value, e.literal, p.field("value"))) return false;
  }
  return o.mapOptional("loc", e.loc) && o.mapOptional("name", e.name) &&
         o.mapOptional("args", e.args) && o.mapOptional("keys", e.keys) &&
         o.mapOptional("named", e.named);
}

static json::Value toJSON(const Stmt& s) {
  json::Object o{{"kind", kStmtKinds[static_cast<int>(s.kind)]}};
  if (hasLoc(s.loc)) o["loc"] = toJSON(s.loc);
  if (!s.name.empty()) o["name"] = s.name;
  if (s.expr) o["expr"] = toJSON(*s.expr);
  if (s.message) o["message"] = toJSON(*s.message);
  if (s.timeout) o["timeout"] = toJSON(*s.timeout);
  if (!s.body.empty()) o["body"] = toArray(s.body);
  if (!s.elseBody.empty()) o["else"] = toArray(s.elseBody);
  return o;
}

static bool fromJSON(const json::Value& v, Stmt& s, json::Path p) {
  json::ObjectMapper o(v, p);
  if (!o) return false;
  const json::Value* kind = v.getAsObject()->get("kind");
  if (!kind) return p.field("kind").report("missing value"), false;
  return enumFromJSON(*kind, s.kind, kStmtKinds, p.field("kind")) &&
         o.mapOptional("loc", s.loc) && o.mapOptional("name", s.name) &&
         o.mapOptional("expr", s.expr) && o.mapOptional("message", s.message) &&
         o.mapOptional("timeout", s.timeout) && o.mapOptional("body", s.body) &&
         o.mapOptional("else", s.elseBody);
}

static json::Value toJSON(const Param& param) {
  json::Object o{{"name", param.name}};
  if (param.defaultValue) o["default"] = toJSON(*param.defaultValue);
  return o;
}

static bool fromJSON(const json::Value& v, Param& param, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("name", param.name) &&
         o.mapOptional("default", param.defaultValue);
}

static json::Value toJSON(const Function& f) {
  json::Object o{{"name", f.name},
                 {"params", toArray(f.params)},
                 {"body", toArray(f.body)}};
  if (hasLoc(f.loc)) o["loc"] = toJSON(f.loc);
  return o;
}

static bool fromJSON(const json::Value& v, Function& f, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("name", f.name) && o.mapOptional("loc", f.loc) &&
         o.mapOptional("params", f.params) && o.mapOptional("body", f.body);
}

static json::Value toJSON(const Global& g) {
  return json::Object{{"name", g.name}, {"value", toJSON(g.value)}};
}

static bool fromJSON(const json::Value& v, Global& g, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("name", g.name) && o.map("value", g.value);
}

static json::Value toJSON(const Test& t) {
  json::Object o{{"name", t.name}, {"body", toArray(t.body)}};
  if (hasLoc(t.loc)) o["loc"] = toJSON(t.loc);
  return o;
}

static bool fromJSON(const json::Value& v, Test& t, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("name", t.name) && o.mapOptional("loc", t.loc) &&
         o.mapOptional("body", t.body);
}

// ---- Nodes ---------------------------------------------------------------------------

static json::Value toJSON(const VlanAttachment& a) {
  json::Object o{{"vlan", a.vlan},
                 {"address", a.address},
                 {"prefix_length", a.prefixLength},
                 {"mac", a.mac}};
  if (!a.address6.empty()) {
    o["address6"] = a.address6;
    o["prefix_length6"] = a.prefixLength6;
  }
  if (!a.extraAddresses.empty()) o["extra_addresses"] = a.extraAddresses;
  return o;
}

static bool fromJSON(const json::Value& v, VlanAttachment& a, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("vlan", a.vlan) && o.map("address", a.address) &&
         o.mapOptional("prefix_length", a.prefixLength) &&
         o.map("mac", a.mac) && o.mapOptional("address6", a.address6) &&
         o.mapOptional("prefix_length6", a.prefixLength6) &&
         o.mapOptional("extra_addresses", a.extraAddresses);
}

static json::Value toJSON(const HostEntry& h) {
  return json::Object{{"address", h.address}, {"name", h.name}};
}

static bool fromJSON(const json::Value& v, HostEntry& h, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("address", h.address) && o.map("name", h.name);
}

static json::Value toJSON(const File& f) {
  json::Object o{{"path", f.path},
                 {"mode", f.mode},
                 {"owner", f.owner},
                 {"group", f.group}};
  if (llvm::json::isUTF8(f.content))
    o["content"] = f.content;
  else
    o["content_base64"] = llvm::encodeBase64(f.content);
  return o;
}

static bool fromJSON(const json::Value& v, File& f, json::Path p) {
  json::ObjectMapper o(v, p);
  if (!o || !o.map("path", f.path) || !o.mapOptional("mode", f.mode) ||
      !o.mapOptional("owner", f.owner) || !o.mapOptional("group", f.group))
    return false;
  const json::Object& obj = *v.getAsObject();
  if (const json::Value* b = obj.get("content_base64")) {
    auto s = b->getAsString();
    std::optional<std::string> bytes;
    if (s) bytes = decodeBase64(*s);
    if (!bytes)
      return p.field("content_base64").report("expected base64 text"), false;
    f.content = std::move(*bytes);
    return true;
  }
  return o.map("content", f.content);
}

static json::Value toJSON(const User& u) {
  json::Object o{{"name", u.name}, {"system", u.system}};
  if (u.uid) o["uid"] = *u.uid;
  if (!u.home.empty()) o["home"] = u.home;
  if (!u.shell.empty()) o["shell"] = u.shell;
  if (!u.groups.empty()) o["groups"] = toArray(u.groups);
  if (!u.group.empty()) o["group"] = u.group;
  if (!u.createHome) o["create_home"] = false;
  if (u.password) o["password"] = *u.password;
  return o;
}

static bool fromJSON(const json::Value& v, User& u, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("name", u.name) && mapOpt(v, "uid", u.uid, p) &&
         o.mapOptional("system", u.system) && o.mapOptional("home", u.home) &&
         o.mapOptional("shell", u.shell) && o.mapOptional("groups", u.groups) &&
         o.mapOptional("group", u.group) &&
         o.mapOptional("create_home", u.createHome) &&
         mapOpt(v, "password", u.password, p);
}

static json::Value toJSON(const Group& g) {
  json::Object o{{"name", g.name}};
  if (g.gid) o["gid"] = *g.gid;
  return o;
}

static bool fromJSON(const json::Value& v, Group& g, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("name", g.name) && mapOpt(v, "gid", g.gid, p);
}

static json::Value toJSON(const Unit& u) {
  return json::Object{{"name", u.name},
                      {"content", u.content},
                      {"wanted_by", toArray(u.wantedBy)}};
}

static bool fromJSON(const json::Value& v, Unit& u, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("name", u.name) && o.map("content", u.content) &&
         o.mapOptional("wanted_by", u.wantedBy);
}

static json::Value toJSON(const Firewall& f) {
  return json::Object{{"enable", f.enable},
                      {"allow_tcp", toArray(f.allowTcp)},
                      {"allow_udp", toArray(f.allowUdp)},
                      {"rules", f.rules}};
}

static bool fromJSON(const json::Value& v, Firewall& f, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.mapOptional("enable", f.enable) &&
         o.mapOptional("allow_tcp", f.allowTcp) &&
         o.mapOptional("allow_udp", f.allowUdp) &&
         o.mapOptional("rules", f.rules);
}

static json::Value toJSON(const Disk& d) {
  return json::Object{
      {"path", d.path}, {"size_bytes", d.sizeBytes}, {"fs", d.fs}};
}

static bool fromJSON(const json::Value& v, Disk& d, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("path", d.path) && o.map("size_bytes", d.sizeBytes) &&
         o.mapOptional("fs", d.fs);
}

static json::Value toJSON(const Prepare& s) {
  json::Object o{{"name", s.name},
                 {"user", s.user},
                 {"run", s.run},
                 {"mount_at", s.mountAt},
                 {"cache_key", s.cacheKey},
                 {"inputs", toArray(s.inputs)}};
  if (s.packages) o["packages"] = toArray(*s.packages);
  if (hasLoc(s.loc)) o["loc"] = toJSON(s.loc);
  return o;
}

static bool fromJSON(const json::Value& v, Prepare& s, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("name", s.name) && o.mapOptional("user", s.user) &&
         o.map("run", s.run) && o.map("mount_at", s.mountAt) &&
         o.mapOptional("cache_key", s.cacheKey) &&
         o.mapOptional("inputs", s.inputs) &&
         mapOpt(v, "packages", s.packages, p) && o.mapOptional("loc", s.loc);
}

static json::Value toJSON(const Node& n) {
  json::Array sysctl;
  for (const auto& [k, v] : n.sysctl) sysctl.push_back(json::Array{k, v});
  json::Object o{{"name", n.name},
                 {"memory_bytes", n.memoryBytes},
                 {"cpus", n.cpus},
                 {"vlans", toArray(n.vlans)},
                 {"hosts", toArray(n.hosts)},
                 {"packages", toArray(n.packages)},
                 {"kernel_params", toArray(n.kernelParams)},
                 {"sysctl", std::move(sysctl)},
                 {"firewall", toJSON(n.firewall)},
                 {"units", toArray(n.units)},
                 {"files", toArray(n.files)},
                 {"users", toArray(n.users)},
                 {"groups", toArray(n.groups)},
                 {"prepares", toArray(n.prepares)},
                 {"boot_target", n.bootTarget},
                 {"backend", n.backend}};
  if (!n.enable.empty()) o["enable"] = toArray(n.enable);
  if (!n.nameservers.empty()) o["nameservers"] = toArray(n.nameservers);
  if (!n.disks.empty()) o["disks"] = toArray(n.disks);
  if (hasLoc(n.loc)) o["loc"] = toJSON(n.loc);
  if (n.testShell != "bash") o["test_shell"] = n.testShell;
  if (!n.testEnv.empty()) {
    json::Array env;
    for (const auto& [k, v] : n.testEnv) env.push_back(json::Array{k, v});
    o["test_env"] = std::move(env);
  }
  return o;
}

static bool pairsFromJSON(const json::Value& v,
                          std::vector<std::pair<std::string, std::string>>& out,
                          json::Path p) {
  const json::Array* a = v.getAsArray();
  if (!a) return p.report("expected array of [key, value]"), false;
  out.clear();
  for (size_t i = 0; i < a->size(); ++i) {
    const json::Array* kv = (*a)[i].getAsArray();
    if (!kv || kv->size() != 2 || !(*kv)[0].getAsString() ||
        !(*kv)[1].getAsString())
      return p.index(i).report("expected [key, value] strings"), false;
    out.emplace_back((*kv)[0].getAsString()->str(),
                     (*kv)[1].getAsString()->str());
  }
  return true;
}

static bool fromJSON(const json::Value& v, Node& n, json::Path p) {
  json::ObjectMapper o(v, p);
  if (!o) return false;
  if (const json::Value* s = v.getAsObject()->get("sysctl"))
    if (!pairsFromJSON(*s, n.sysctl, p.field("sysctl"))) return false;
  if (const json::Value* s = v.getAsObject()->get("test_env"))
    if (!pairsFromJSON(*s, n.testEnv, p.field("test_env"))) return false;
  return o.map("name", n.name) && o.mapOptional("loc", n.loc) &&
         o.mapOptional("memory_bytes", n.memoryBytes) &&
         o.mapOptional("cpus", n.cpus) && o.mapOptional("vlans", n.vlans) &&
         o.mapOptional("hosts", n.hosts) &&
         o.mapOptional("packages", n.packages) &&
         o.mapOptional("enable", n.enable) &&
         o.mapOptional("nameservers", n.nameservers) &&
         o.mapOptional("kernel_params", n.kernelParams) &&
         o.mapOptional("firewall", n.firewall) &&
         o.mapOptional("units", n.units) && o.mapOptional("files", n.files) &&
         o.mapOptional("users", n.users) && o.mapOptional("groups", n.groups) &&
         o.mapOptional("prepares", n.prepares) &&
         o.mapOptional("disks", n.disks) &&
         o.mapOptional("boot_target", n.bootTarget) &&
         o.mapOptional("test_shell", n.testShell) &&
         o.mapOptional("backend", n.backend);
}

// ---- The plan ----------------------------------------------------------------------------

static json::Value toJSON(const SourceFile& f) {
  return json::Object{{"path", f.path}, {"text", f.text}};
}

static bool fromJSON(const json::Value& v, SourceFile& f, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.map("path", f.path) && o.map("text", f.text);
}

static json::Value toJSON(const Settings& s) {
  json::Object o{{"wait_timeout_ms", s.waitTimeoutMs},
                 {"eventually_timeout_ms", s.eventuallyTimeoutMs},
                 {"tags", toArray(s.tags)}};
  if (s.suiteTimeoutMs) o["suite_timeout_ms"] = *s.suiteTimeoutMs;
  return o;
}

static bool fromJSON(const json::Value& v, Settings& s, json::Path p) {
  json::ObjectMapper o(v, p);
  return o && o.mapOptional("wait_timeout_ms", s.waitTimeoutMs) &&
         o.mapOptional("eventually_timeout_ms", s.eventuallyTimeoutMs) &&
         mapOpt(v, "suite_timeout_ms", s.suiteTimeoutMs, p) &&
         o.mapOptional("tags", s.tags);
}

static json::Object planObject(const Plan& plan) {
  return json::Object{{"rig_plan", plan.version},
                      {"suite_name", plan.suiteName},
                      {"suite_path", plan.suitePath},
                      {"settings", toJSON(plan.settings)},
                      {"sources", toArray(plan.sources)},
                      {"host_packages", toArray(plan.hostPackages)},
                      {"nodes", toArray(plan.nodes)},
                      {"globals", toArray(plan.globals)},
                      {"functions", toArray(plan.functions)},
                      {"tests", toArray(plan.tests)}};
}

json::Value toJSON(const Plan& plan) {
  json::Object o = planObject(plan);
  o["hash"] = plan.hash;
  return o;
}

// "expected string at plan.nodes[1].name" -> "plan.nodes[1].name: expected
// string", the order every other rig message uses.
static llvm::Error pathError(llvm::Error err) {
  std::string text = llvm::toString(std::move(err));
  llvm::StringRef s(text);
  size_t at = s.rfind(" at plan");
  if (at != llvm::StringRef::npos)
    text = fmt::format("{}: {}", s.substr(at + 4).str(), s.substr(0, at).str());
  return llvm::createStringError(llvm::inconvertibleErrorCode(), text);
}

llvm::Expected<Plan> planFromJSON(const json::Value& value) {
  const json::Object* obj = value.getAsObject();
  if (!obj)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "plan: expected a JSON object");
  const json::Value* version = obj->get("rig_plan");
  if (!version)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "plan.rig_plan: missing; this is not a rig plan");
  if (version->getAsInteger() != kPlanVersion) {
    std::string seen;
    llvm::raw_string_ostream os(seen);
    os << *version;
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "plan.rig_plan: plan version %s is not supported (this rig reads "
        "version %lld); recompile the suite with this rig",
        seen.c_str(), static_cast<long long>(kPlanVersion));
  }
  Plan plan;
  json::Path::Root root("plan");
  json::Path p(root);
  json::ObjectMapper o(value, p);
  bool ok = o.map("rig_plan", plan.version) &&
            o.mapOptional("hash", plan.hash) &&
            o.mapOptional("suite_name", plan.suiteName) &&
            o.mapOptional("suite_path", plan.suitePath) &&
            o.mapOptional("settings", plan.settings) &&
            o.mapOptional("sources", plan.sources) &&
            o.mapOptional("host_packages", plan.hostPackages) &&
            o.mapOptional("nodes", plan.nodes) &&
            o.mapOptional("globals", plan.globals) &&
            o.mapOptional("functions", plan.functions) &&
            o.mapOptional("tests", plan.tests);
  if (!ok) return pathError(root.getError());
  return plan;
}

std::string computeHash(const Plan& plan) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << json::Value(planObject(plan));  // keys sorted: canonical
  os.flush();
  llvm::SHA256 sha;
  sha.update(text);
  return llvm::toHex(sha.final(), /*LowerCase=*/true);
}

llvm::Expected<Plan> parsePlan(llvm::StringRef text) {
  auto json = json::parse(text);
  if (!json)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "plan: invalid JSON: %s",
                                   llvm::toString(json.takeError()).c_str());
  auto plan = planFromJSON(*json);
  if (!plan) return plan.takeError();
  if (!plan->hash.empty()) {
    std::string actual = computeHash(*plan);
    if (actual != plan->hash)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "plan.hash: the content hash does not match (plan says %s, content "
          "is %s); was the plan edited by hand?",
          plan->hash.c_str(), actual.c_str());
  }
  if (llvm::Error e = resolveCalls(*plan)) return e;
  return plan;
}

// Two-space indentation, keys sorted, and arrays of scalars (locations,
// port lists) on one line.
static void pretty(const json::Value& v, llvm::raw_ostream& os, int indent) {
  auto scalar = [](const json::Value& e) {
    return e.kind() != json::Value::Array && e.kind() != json::Value::Object;
  };
  if (const json::Array* a = v.getAsArray()) {
    if (a->empty()) {
      os << "[]";
      return;
    }
    if (std::all_of(a->begin(), a->end(), scalar)) {
      os << "[";
      for (size_t i = 0; i < a->size(); ++i) os << (i ? ", " : "") << (*a)[i];
      os << "]";
      return;
    }
    os << "[\n";
    for (size_t i = 0; i < a->size(); ++i) {
      os.indent(indent + 2);
      pretty((*a)[i], os, indent + 2);
      os << (i + 1 < a->size() ? ",\n" : "\n");
    }
    os.indent(indent) << "]";
    return;
  }
  if (const json::Object* o = v.getAsObject()) {
    if (o->empty()) {
      os << "{}";
      return;
    }
    std::vector<llvm::StringRef> keys;
    for (const auto& kv : *o) keys.push_back(kv.first);
    llvm::sort(keys);
    os << "{\n";
    for (size_t i = 0; i < keys.size(); ++i) {
      os.indent(indent + 2) << json::Value(keys[i]) << ": ";
      pretty(*o->get(keys[i]), os, indent + 2);
      os << (i + 1 < keys.size() ? ",\n" : "\n");
    }
    os.indent(indent) << "}";
    return;
  }
  os << v;
}

std::string formatJSON(const json::Value& value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  pretty(value, os, 0);
  os << "\n";
  os.flush();
  return text;
}

std::string writePlan(const Plan& plan) {
  Plan copy = plan;
  copy.hash = computeHash(plan);
  return formatJSON(toJSON(copy));
}

}  // namespace rig::plan
