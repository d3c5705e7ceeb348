// libFuzzer target: the frame decoder must never crash or over-read, and
// whatever it accepts must encode back to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "runtime/protocol/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rig::protocol;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  FrameReader reader;
  reader.append(input.data(), input.size());
  Message m;
  std::string error;
  size_t consumed = 0;
  if (decodeFrame(input, m, consumed, error) == DecodeStatus::Ok &&
      encodeFrame(m) != input.substr(0, consumed))
    std::abort();
  while (reader.next(m, error) == DecodeStatus::Ok) {}
  std::string decoded;
  if (percentDecode(input, decoded)) {
    std::string again;
    if (!percentDecode(percentEncode(decoded), again) || again != decoded)
      std::abort();
  }
  return 0;
}
