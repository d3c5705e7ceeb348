// Golden-file checks shared by the report tests: compare a reporter's output
// with tests/testdata/report/NAME; RIG_UPDATE_GOLDEN=1 rewrites the file.
#ifndef RIG_RUNTIME_REPORT_GOLDEN_TESTING_H
#define RIG_RUNTIME_REPORT_GOLDEN_TESTING_H

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

#ifndef RIG_REPORT_GOLDEN_DIR
#error "RIG_REPORT_GOLDEN_DIR must name tests/testdata/report"
#endif

namespace rig::report {

// The checkout root of the recorded suites' paths; "ROOT/" in goldens.
inline const char* kRoot = "/home/runner/work/app/";

// Replaces the number after each time key with 0, and the checkout root.
inline std::string normalise(std::string text) {
  for (const char* key : {"\"durationMs\": ", "\"durationMs\":", "time=\"",
                          "duration_ms: ", " ("}) {
    size_t from = 0;
    while ((from = text.find(key, from)) != std::string::npos) {
      size_t start = from + std::string(key).size();
      size_t end = start;
      while (
          end < text.size() &&
          (isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.'))
        ++end;
      // " (" only normalises "(1.2s)" in terminal lines.
      bool isTime = end > start && (std::string(key) != " (" ||
                                    (end < text.size() && text[end] == 's'));
      if (isTime) text.replace(start, end - start, "0");
      from = start;
    }
  }
  size_t at;
  while ((at = text.find(kRoot)) != std::string::npos)
    text.replace(at, std::string(kRoot).size(), "ROOT/");
  return text;
}

// Compares `got` with the golden as it is (no normalising).
inline void checkGoldenText(const std::string& name, const std::string& got) {
  std::string path = std::string(RIG_REPORT_GOLDEN_DIR) + "/" + name;
  if (std::getenv("RIG_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << got;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden " << path
                  << " (RIG_UPDATE_GOLDEN=1 writes it)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "golden " << path;
}

inline void checkGolden(const std::string& name, const std::string& actual) {
  checkGoldenText(name, normalise(actual));
}

}  // namespace rig::report

#endif
