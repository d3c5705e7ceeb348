# Golden tests of the report formats (runtime/report, docs/reports.md): a
# recorded event stream replayed into each reporter, compared with
# tests/testdata/report/. The TAP golden must parse with `prove`, the JUnit
# golden with `xmllint`. RIG_UPDATE_GOLDEN=1 ./report_golden_test rewrites.
get_filename_component(RIG_REPORT_ROOT ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
set(RIG_REPORT_GOLDEN ${RIG_REPORT_ROOT}/tests/testdata/report)

add_executable(report_golden_test
  ${RIG_REPORT_ROOT}/runtime/report/report_golden_test.cpp
  ${RIG_REPORT_ROOT}/runtime/report/terminal_golden_test.cpp
  ${RIG_REPORT_ROOT}/runtime/report/recorded_test.cpp)
target_compile_definitions(report_golden_test PRIVATE
  RIG_REPORT_GOLDEN_DIR="${RIG_REPORT_GOLDEN}")
target_link_libraries(report_golden_test PRIVATE rig_report rig_options
  GTest::gtest_main)
include(GoogleTest)
gtest_discover_tests(report_golden_test TEST_PREFIX "report." PROPERTIES LABELS "report")

# prove 3.44 (Debian 12) stops at "TAP version 14" ("we don't know about
# versions later than 13") although TAP 14 is a superset of 13 for what rig
# prints; the check feeds it the golden with the version line as 13. The
# golden has failures, so prove exits 1: the test wants exactly that and no
# parse error.
# Both checks are registered whether or not the tool is there: without it
# they fail saying what to install.
add_test(NAME report_tap_prove
  COMMAND sh -c "command -v prove >/dev/null || { echo 'report_tap_prove: prove not found: apt-get install perl'; exit 1; }; sed '1s/^TAP version 14$/TAP version 13/' '${RIG_REPORT_GOLDEN}/run.tap' > report_tap13.tap && prove -v --exec cat report_tap13.tap; test $? -eq 1")
set_tests_properties(report_tap_prove PROPERTIES LABELS "report"
  FAIL_REGULAR_EXPRESSION "Parse errors|Bad plan|Unknown TAP token|not found"
  PASS_REGULAR_EXPRESSION "Tests: 3 Failed: 3")

# The JUnit golden is well-formed and follows the junit-10 schema
# (tests/testdata/report/junit-10.xsd).
add_test(NAME report_junit_xmllint
  COMMAND sh -c "command -v xmllint >/dev/null || { echo 'report_junit_xmllint: xmllint not found: apt-get install libxml2-utils'; exit 1; }; xmllint --noout --schema '${RIG_REPORT_GOLDEN}/junit-10.xsd' '${RIG_REPORT_GOLDEN}/junit.xml'")
set_tests_properties(report_junit_xmllint PROPERTIES LABELS "report")

# The HTML report in a real browser: rig run --html on a suite that boots one
# VM and fails one test, then Debian's headless Chromium driven by Playwright
# (tests/report/browser; scripts/setup runs `npm ci` there). The report and a
# screenshot stay in build/artifacts/report_html_browser/.
add_test(NAME report_html_browser
  COMMAND bash ${RIG_REPORT_ROOT}/tests/report/browser/run.sh $<TARGET_FILE:rig>
          ${CMAKE_BINARY_DIR}/artifacts/report_html_browser)
set_tests_properties(report_html_browser PROPERTIES LABELS "e2e;report"
  TIMEOUT 900 RUN_SERIAL TRUE)
