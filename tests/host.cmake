# runtime/host unit tests (tests beside the code).
if(TARGET rig_host)
  add_executable(rig_host_tests
    ${CMAKE_SOURCE_DIR}/runtime/host/process_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/host/host_checks_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/host/keeper_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/host/memory_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/host/run_record_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/host/var_skeleton_test.cpp)
  target_link_libraries(rig_host_tests PRIVATE rig_host GTest::gtest_main)
  add_dependencies(rig_host_tests rig-keeper)
  add_test(NAME host.unit COMMAND rig_host_tests --gtest_filter=-AccelProbe.*)
  # Boots a probe VM under -accel kvm (hangs here: no vmx) until its limit.
  add_test(NAME host.e2e.kvm_probe COMMAND rig_host_tests --gtest_filter=AccelProbe.*)
  set_tests_properties(host.e2e.kvm_probe PROPERTIES LABELS e2e TIMEOUT 60)
endif()
