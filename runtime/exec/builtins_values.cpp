// The builtins on values (language.md section 7): one function each,
// declared by runtime/plan/builtins.def.
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "runtime/exec/callables.h"
#include "runtime/exec/interpreter.h"
#include "runtime/exec/regex.h"
#include "runtime/plan/url.h"
#include "runtime/support/utf8.h"

namespace rig::exec {
namespace {

// `json(s)` failed: say why and show where, with a caret under the byte
// that llvm::json stopped at.
[[noreturn]] void badJson(llvm::StringRef text, llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  // llvm::json::ParseError logs as "[LINE:COL, byte=N]: MESSAGE".
  size_t offset = llvm::StringRef::npos;
  llvm::StringRef rest = message;
  std::string reason = message;
  size_t byteAt = rest.find("byte=");
  if (byteAt != llvm::StringRef::npos) {
    unsigned long long n = 0;
    if (!rest.drop_front(byteAt + 5).consumeInteger(10, n)) offset = n;
    size_t colon = rest.find("]: ");
    if (colon != llvm::StringRef::npos)
      reason = rest.drop_front(colon + 3).str();
  }
  std::string details;
  if (text.empty()) {
    details = "the text is empty";
  } else if (offset != llvm::StringRef::npos && offset <= text.size()) {
    size_t lineStart = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
    if (offset < lineStart) lineStart = offset;
    size_t lineEnd = text.find('\n', offset);
    if (lineEnd == llvm::StringRef::npos) lineEnd = text.size();
    // Keep long lines short: 60 bytes either side of the offset.
    size_t from = offset > lineStart + 60 ? offset - 60 : lineStart;
    size_t to = std::min(lineEnd, offset + 60);
    std::string excerpt = text.slice(from, to).str();
    for (char& c : excerpt)
      if (c == '\t' || c == '\r') c = ' ';
    details = fmt::format(
        "at byte {}:\n  {}{}{}\n  {}^", offset, from > lineStart ? "..." : "",
        excerpt, to < lineEnd ? "..." : "",
        std::string(offset - from + (from > lineStart ? 3 : 0), ' '));
  }
  std::string head = text.substr(0, 200).str();
  if (!details.empty()) details += "\n";
  details +=
      "text: " + Value::string(head).repr() +
      (text.size() > 200 ? fmt::format(" ... ({} bytes)", text.size()) : "");
  fail("json: not valid JSON: " + reason, details);
}

Value parseJson(llvm::StringRef text) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) badJson(text, parsed.takeError());
  return Value::fromJSON(*parsed);
}

Value toInt(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Int: return v;
    case ValueKind::Float:
      if (!std::isfinite(v.asFloat())) failf("int: {} is not finite", v.repr());
      return Value::integer(int64_t(v.asFloat()));
    case ValueKind::Bool: return Value::integer(v.asBool() ? 1 : 0);
    case ValueKind::Duration: return Value::integer(int64_t(v.asDurationMs()));
    case ValueKind::Size: return Value::integer(v.asSizeBytes());
    case ValueKind::String: {
      llvm::StringRef s = llvm::StringRef(v.asString()).trim();
      long long n = 0;
      if (s.empty() || llvm::getAsSignedInteger(s, 10, n))
        failf("int: not an integer: {}", v.repr());
      return Value::integer(n);
    }
    default:
      failf("int: cannot convert {} ({})", kindName(v.kind()).str(),
            shortRepr(v, 80));
  }
}

Value toFloat(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Int: return Value::floating(double(v.asInt()));
    case ValueKind::Float: return v;
    case ValueKind::Duration: return Value::floating(v.asDurationMs());
    case ValueKind::Size: return Value::floating(double(v.asSizeBytes()));
    case ValueKind::String: {
      std::string s = llvm::StringRef(v.asString()).trim().str();
      char* end = nullptr;
      errno = 0;
      double d = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || errno == ERANGE)
        failf("float: not a number: {}", v.repr());
      return Value::floating(d);
    }
    default:
      failf("float: cannot convert {} ({})", kindName(v.kind()).str(),
            shortRepr(v, 80));
  }
}

Value lines(const std::string& text) {
  ValueList out;
  llvm::StringRef rest = text;
  if (rest.endswith("\n")) rest = rest.drop_back();
  if (text.empty()) return Value::list({});
  llvm::SmallVector<llvm::StringRef, 16> parts;
  rest.split(parts, '\n');
  for (llvm::StringRef part : parts) {
    if (part.endswith("\r")) part = part.drop_back();
    out.push_back(Value::string(part.str()));
  }
  return Value::list(std::move(out));
}

Value split(const std::string& text, const std::string& sep) {
  if (sep.empty()) failf("split: the separator is empty");
  ValueList out;
  llvm::SmallVector<llvm::StringRef, 16> parts;
  llvm::StringRef(text).split(parts, sep);
  for (llvm::StringRef part : parts) out.push_back(Value::string(part.str()));
  return Value::list(std::move(out));
}

}  // namespace

Value builtin_json(Call& c) { return parseJson(c.string(0)); }

Value builtin_to_json(Call& c) {
  std::string out;
  llvm::raw_string_ostream os(out);
  os << c.required(0).toJSON();
  return Value::string(os.str());
}

Value builtin_len(Call& c) {
  const Value& v = c.required(0);
  switch (v.kind()) {
    case ValueKind::String:
      return Value::integer(int64_t(utf8::codePointCount(v.asString())));
    case ValueKind::List: return Value::integer(int64_t(v.asList().size()));
    case ValueKind::Object: return Value::integer(int64_t(v.asObject().size()));
    default:
      failf("len: needs a string, list or object, got {} ({})",
            kindName(v.kind()).str(), shortRepr(v, 80));
  }
}

Value builtin_str(Call& c) { return Value::string(c.required(0).str()); }
Value builtin_int(Call& c) { return toInt(c.required(0)); }
Value builtin_float(Call& c) { return toFloat(c.required(0)); }

Value builtin_trim(Call& c) {
  return Value::string(llvm::StringRef(c.string(0)).trim().str());
}

Value builtin_lines(Call& c) { return lines(c.string(0)); }
Value builtin_split(Call& c) { return split(c.string(0), c.string(1)); }

Value builtin_join(Call& c) {
  const Value& list = c.required(0);
  if (list.kind() != ValueKind::List)
    failf("join: `list` must be a list, got {}", kindName(list.kind()).str());
  const std::string& sep = c.string(1);
  std::string out;
  for (size_t i = 0; i < list.asList().size(); ++i) {
    if (i) out += sep;
    out += list.asList()[i].str();
  }
  return Value::string(std::move(out));
}

Value builtin_keys(Call& c) {
  const Value& object = c.required(0);
  if (object.kind() != ValueKind::Object)
    failf("keys: `o` must be an object, got {}", kindName(object.kind()).str());
  ValueList out;
  for (const auto& field : object.asObject())
    out.push_back(Value::string(field.first));
  return Value::list(std::move(out));
}

Value builtin_contains(Call& c) {
  return Value::boolean(
      valueContains(c.required(0), c.required(1), "contains"));
}

Value builtin_matches(Call& c) {
  return Value::boolean(regexSearch(c.string(1), c.string(0)));
}

Value builtin_url_encode(Call& c) {
  return Value::string(plan::urlEncode(c.string(0)));
}

}  // namespace rig::exec
