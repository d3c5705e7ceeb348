// libFuzzer target: the guest's parsers of host-controlled text (manifest,
// HTTP responses, URLs, /etc/hosts) must never crash or over-read.
#include <cstdint>
#include <string>

#include "runtime/guest/http.h"
#include "runtime/guest/manifest.h"
#include "runtime/guest/net.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rig::guest;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string error;
  Manifest manifest;
  parseManifest(input, manifest, error);
  HttpParsedResponse response;
  parseHttpResponse(input, false, false, response, error);
  parseHttpResponse(input, true, false, response, error);
  parseHttpResponse(input, true, true, response, error);
  HttpUrl url;
  parseHttpUrl(input, url, error);
  lookupHosts(input, "node1");
  return 0;
}
