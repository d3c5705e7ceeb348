# Tests of runtime/protocol and runtime/guest (the guest agent and its wire
# protocol). Unit tests run on the host; `guest_boot` boots a real VM (e2e).
if(TARGET rig_protocol_wire AND TARGET rig_guest_lib)
  add_executable(rig_guest_tests
    ${CMAKE_CURRENT_LIST_DIR}/../runtime/protocol/wire_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../runtime/protocol/shell_wire_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../runtime/guest/manifest_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../runtime/guest/http_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../runtime/guest/exec_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../runtime/guest/agent_test.cpp)
  target_compile_options(rig_guest_tests PRIVATE ${RIG_WARNINGS} -fno-rtti)
  target_link_libraries(rig_guest_tests PRIVATE rig_guest_lib GTest::gtest_main)
  target_compile_definitions(rig_guest_tests PRIVATE
    RIG_GUEST_MODULES_TXT="${CMAKE_CURRENT_LIST_DIR}/../runtime/guest/modules.txt")
  add_test(NAME guest_unit COMMAND rig_guest_tests)

  add_executable(rig_agent_client_tests ${CMAKE_CURRENT_LIST_DIR}/../runtime/protocol/agent_client_test.cpp)
  target_link_libraries(rig_agent_client_tests PRIVATE rig_agent_client rig_guest_lib GTest::gtest_main)
  add_test(NAME agent_client COMMAND rig_agent_client_tests)

  # Boots one node under TCG (~30 s) and checks the agent's answers.
  add_test(NAME guest_boot
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/../scripts/dev/boot-guest.sh --build ${CMAKE_BINARY_DIR}
            --work ${CMAKE_BINARY_DIR}/guest-boot)
  set_tests_properties(guest_boot PROPERTIES LABELS e2e TIMEOUT 300)
endif()

# libFuzzer targets (configure with the `fuzz` preset: clang, RIG_FUZZ=ON).
# They compile the sources themselves so that all of it is instrumented.
# Run e.g. `build-fuzz/fuzz_guest_wire -max_total_time=60`.
if(RIG_FUZZ)
  set(guest_dir ${CMAKE_CURRENT_LIST_DIR}/../runtime/guest)
  set(protocol_dir ${CMAKE_CURRENT_LIST_DIR}/../runtime/protocol)
  set(fuzz_wire_sources ${protocol_dir}/wire.cpp ${protocol_dir}/node_config.cpp
    ${protocol_dir}/shell_wire.cpp)
  add_executable(fuzz_guest_wire ${protocol_dir}/wire_fuzz.cpp ${fuzz_wire_sources})
  add_executable(fuzz_guest_parsers ${guest_dir}/parsers_fuzz.cpp ${fuzz_wire_sources}
    ${guest_dir}/agent.cpp ${guest_dir}/exec.cpp ${guest_dir}/http.cpp ${guest_dir}/manifest.cpp
    ${guest_dir}/net.cpp ${guest_dir}/shell.cpp ${guest_dir}/stage1.cpp ${guest_dir}/sys.cpp)
  foreach(fuzzer fuzz_guest_wire fuzz_guest_parsers)
    target_include_directories(${fuzzer} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/..)
    target_compile_options(${fuzzer} PRIVATE ${RIG_WARNINGS} -fno-rtti -fsanitize=fuzzer,address,undefined)
    target_link_options(${fuzzer} PRIVATE -fsanitize=fuzzer,address,undefined -pthread)
  endforeach()
endif()
