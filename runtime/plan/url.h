// URL text for `url_encode(s)` and `m.http(..., query = {...})`, shared by
// the compiler's constant folder and the runtime so both agree.
#ifndef RIG_RUNTIME_PLAN_URL_H
#define RIG_RUNTIME_PLAN_URL_H

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rig::plan {

// RFC 3986 percent-encoding of every byte except the unreserved characters
// (A-Z a-z 0-9 - . _ ~): safe in a path segment, a query key or a value.
std::string urlEncode(std::string_view text);

// `url` with `?k=v&k2=v2` appended (`&` when it has a query already), keys
// and values url-encoded; `url` itself when `query` is empty. A fragment
// (`#...`) stays at the end.
std::string withQuery(
    std::string_view url,
    const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace rig::plan

#endif
