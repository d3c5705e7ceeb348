#include "runtime/plan/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <map>
#include <memory>

#include <fmt/format.h>

#include "runtime/support/assert.h"

namespace rig {
namespace {

// How much a single search may backtrack before it is reported as runaway:
// enough for any sensible pattern over a console line or a command's output,
// reached in well under a second by `(a+)+$` against 100k characters.
constexpr uint32_t kMatchLimit = 10'000'000;
// The interpreter (used when JIT is unavailable) keeps its backtracking
// frames on the heap, not the stack; this bounds them (KiB).
constexpr uint32_t kHeapLimitKiB = 256 * 1024;
// The JIT's backtracking stack (heap-allocated): large enough for a
// repeated group over a megabyte of input.
constexpr size_t kJitStackMax = 64 * 1024 * 1024;

// ECMAScript behaviour where PCRE2's default differs: `$` only at the very
// end, `\u` as in JavaScript, `[]`/`[^]`, a backreference to an unset group
// matching the empty string. UTF: patterns and text are UTF-8, and `.`
// matches a character; invalid UTF-8 in the text (a console line) never
// matches a character instead of failing the search.
constexpr uint32_t kCompileOptions =
    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY |
    PCRE2_ALT_BSUX | PCRE2_ALLOW_EMPTY_CLASS | PCRE2_MATCH_UNSET_BACKREF;

std::string errorText(int code) {
  PCRE2_UCHAR buf[256];
  if (pcre2_get_error_message(code, buf, sizeof buf) < 0)
    return fmt::format("PCRE2 error {}", code);
  return reinterpret_cast<const char*>(buf);
}

struct CodeFree {
  void operator()(pcre2_code* c) const { pcre2_code_free(c); }
};
using Code = std::unique_ptr<pcre2_code, CodeFree>;

// The compiled pattern, or why it does not compile.
struct Compiled {
  Code code;
  std::string error;
};

Compiled compile(llvm::StringRef pattern) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()),
                    pattern.size(), kCompileOptions, &code, &offset, nullptr);
  if (!re)
    return {nullptr, fmt::format("{} at offset {}", errorText(code), offset)};
  // JIT is an optimisation: where it is unsupported the interpreter runs.
  (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
  return {Code(re), ""};
}

// Per-thread match state: the limits, and the JIT stack they point at.
struct Matcher {
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_jit_stack* jitStack =
      pcre2_jit_stack_create(32 * 1024, kJitStackMax, nullptr);
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);

  Matcher() {
    pcre2_set_match_limit(context, kMatchLimit);
    pcre2_set_heap_limit(context, kHeapLimitKiB);
    if (jitStack) pcre2_jit_stack_assign(context, nullptr, jitStack);
  }
  ~Matcher() {
    pcre2_match_data_free(data);
    if (jitStack) pcre2_jit_stack_free(jitStack);
    pcre2_match_context_free(context);
  }
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;
};

std::string runawayText(int code) {
  switch (code) {
    case PCRE2_ERROR_MATCHLIMIT:
      return fmt::format(
          "it backtracked more than {} times (a nested repetition such as "
          "`(a+)+` can take exponential time; make the pattern more specific)",
          kMatchLimit);
    case PCRE2_ERROR_HEAPLIMIT:
    case PCRE2_ERROR_JIT_STACKLIMIT:
    case PCRE2_ERROR_NOMEMORY:
      return "it needs more backtracking memory than allowed (a repeated "
             "group over a very long text; make the pattern more specific)";
    default: return errorText(code);
  }
}

}  // namespace

std::optional<std::string> regexError(llvm::StringRef pattern) {
  Compiled c = compile(pattern);
  if (!c.code) return c.error;
  return std::nullopt;
}

namespace {

// The compiled `pattern` from this thread's cache, or null with `error` set.
const pcre2_code* cached(llvm::StringRef pattern, std::string& error) {
  thread_local std::map<std::string, Code, std::less<>> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    Compiled c = compile(pattern);
    if (!c.code) {
      error = fmt::format("invalid regular expression \"{}\": {}",
                          pattern.str(), c.error);
      return nullptr;
    }
    if (cache.size() > 256) cache.clear();
    it = cache.emplace(pattern.str(), std::move(c.code)).first;
  }
  RIG_ASSERT(it->second, "the cache holds compiled patterns only");
  return it->second.get();
}

// pcre2_match with this thread's limits: >= 0 on a match,
// PCRE2_ERROR_NOMATCH, or another (negative) error.
int match(const pcre2_code* code, llvm::StringRef text,
          pcre2_match_data* data) {
  thread_local Matcher matcher;
  // PCRE2 10.42 rejects a null subject even when it is empty.
  const char* subject = text.data() ? text.data() : "";
  return pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject), text.size(),
                     0, 0, data ? data : matcher.data, matcher.context);
}

std::string matchError(llvm::StringRef pattern, int rc) {
  return fmt::format("regular expression \"{}\" could not be matched: {}",
                     pattern.str(), runawayText(rc));
}

}  // namespace

RegexSearch regexSearch(llvm::StringRef pattern, llvm::StringRef text) {
  std::string error;
  const pcre2_code* code = cached(pattern, error);
  if (!code) return {false, error};
  int rc = match(code, text, nullptr);
  if (rc >= 0) return {true, ""};
  if (rc == PCRE2_ERROR_NOMATCH) return {false, ""};
  return {false, matchError(pattern, rc)};
}

RegexCaptures regexCaptures(llvm::StringRef pattern, llvm::StringRef text) {
  RegexCaptures out;
  const pcre2_code* code = cached(pattern, out.error);
  if (!code) return out;
  std::unique_ptr<pcre2_match_data, void (*)(pcre2_match_data*)> data(
      pcre2_match_data_create_from_pattern(code, nullptr),
      pcre2_match_data_free);
  RIG_ASSERT(data, "out of memory for a regex match");
  int rc = match(code, text, data.get());
  if (rc == PCRE2_ERROR_NOMATCH) return out;
  if (rc < 0) {
    out.error = matchError(pattern, rc);
    return out;
  }
  uint32_t count = pcre2_get_ovector_count(data.get());
  PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
  out.found = true;
  for (uint32_t i = 0; i < count; ++i) {
    if (ovector[2 * i] == PCRE2_UNSET) {
      out.groups.emplace_back();
      out.offsets.push_back(
          size_t(llvm::StringRef::npos));  // no ODR-use (LLVM 14)
      continue;
    }
    out.groups.push_back(text.slice(ovector[2 * i], ovector[2 * i + 1]).str());
    out.offsets.push_back(ovector[2 * i]);
  }
  return out;
}

}  // namespace rig
