# Tests of driver: argument parsing, rig.toml, and `rig` end to end
# in-process (exit codes, --format outputs, rig.toml search and overrides).
if(TARGET rig_driver)
  add_executable(driver_test
    ${CMAKE_SOURCE_DIR}/driver/args_test.cpp
    ${CMAKE_SOURCE_DIR}/driver/config_test.cpp
    ${CMAKE_SOURCE_DIR}/driver/driver_test.cpp
    ${CMAKE_SOURCE_DIR}/driver/repl_input_test.cpp
    ${CMAKE_SOURCE_DIR}/driver/repl_test.cpp
    ${CMAKE_SOURCE_DIR}/driver/shard_test.cpp
    ${CMAKE_SOURCE_DIR}/driver/merge_test.cpp)
  target_link_libraries(driver_test PRIVATE rig_driver rig_plan rig_exec_testing
                        GTest::gtest_main)
  target_compile_definitions(driver_test PRIVATE
    RIG_SOURCE_DIR="${CMAKE_SOURCE_DIR}" RIG_BINARY_DIR="${CMAKE_BINARY_DIR}")
  # merge_test.cpp runs suites without nodes, which still need rig-guest.
  add_dependencies(driver_test rig rig-guest)
  add_test(NAME driver.unit COMMAND driver_test)

  # The real binary: exit codes as a shell sees them.
  add_test(NAME driver.cli.unknown-command
    COMMAND sh -c "$<TARGET_FILE:rig> frob 2>&1; test $? -eq 2 && echo exit-2")
  set_tests_properties(driver.cli.unknown-command PROPERTIES
    PASS_REGULAR_EXPRESSION "rig: unknown command frob \\(see rig --help\\)\nexit-2")
  # rig doctor --install: the apt-get line without root, apt-get run as
  # root (a recording apt-get on PATH; tests/testdata/driver/doctor_install.sh).
  add_test(NAME driver.cli.doctor-install
    COMMAND bash ${CMAKE_SOURCE_DIR}/tests/testdata/driver/doctor_install.sh
            $<TARGET_FILE:rig>)
  add_test(NAME driver.cli.lint-example
    COMMAND rig lint --warnings-as-errors ${CMAKE_SOURCE_DIR}/examples/todos/todos.rig)
endif()

# `rig run` end to end through the runtime hook (boots one VM each).
if(TARGET rig AND TARGET rig-guest)
  add_test(NAME driver.e2e.run-passes
    COMMAND rig run ${CMAKE_SOURCE_DIR}/tests/testdata/driver/passes.rig)
  add_test(NAME driver.e2e.run-fails
    COMMAND sh -c "$<TARGET_FILE:rig> run --junit ${CMAKE_BINARY_DIR}/driver-fails.xml ${CMAKE_SOURCE_DIR}/tests/testdata/driver/fails.rig; test $? -eq 1 && grep -q 'failures=\"1\"' ${CMAKE_BINARY_DIR}/driver-fails.xml && echo exit-1")
  set_tests_properties(driver.e2e.run-fails PROPERTIES
    PASS_REGULAR_EXPRESSION "exit-1")
  set_tests_properties(driver.e2e.run-passes driver.e2e.run-fails PROPERTIES
    LABELS e2e TIMEOUT 600)

  # `rig repl` driven in tmux (tests/e2e/repl_tmux.sh): one VM.
  add_test(NAME driver.e2e.repl
    COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/repl_tmux.sh $<TARGET_FILE:rig>
            ${CMAKE_SOURCE_DIR}/tests/testdata/driver/repl.rig)
  set_tests_properties(driver.e2e.repl PROPERTIES LABELS e2e TIMEOUT 900)
  add_test(NAME driver.e2e.container.repl
    COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/repl_tmux.sh $<TARGET_FILE:rig>
            ${CMAKE_SOURCE_DIR}/tests/testdata/driver/repl.rig container)
  set_tests_properties(driver.e2e.container.repl PROPERTIES LABELS e2e TIMEOUT 900)
endif()
