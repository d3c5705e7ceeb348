# runtime/container tests (beside the code): the nspawn command line (unit),
# and containers booted for real (label e2e; they need root and
# systemd-container, and fail saying so without them).
if(TARGET rig_container)
  add_executable(rig_container_tests
    ${CMAKE_SOURCE_DIR}/runtime/container/nspawn_command_test.cpp)
  target_link_libraries(rig_container_tests PRIVATE rig_container GTest::gtest_main)
  add_test(NAME container.unit COMMAND rig_container_tests)

  add_executable(rig_container_e2e_tests
    ${CMAKE_SOURCE_DIR}/runtime/container/container_e2e_test.cpp)
  target_link_libraries(rig_container_e2e_tests PRIVATE rig_container GTest::gtest_main)
  # The cleanup test runs rig-vm-boot-driver --containers (tests/vm.cmake).
  if(TARGET rig-vm-boot-driver)
    add_dependencies(rig_container_e2e_tests rig-vm-boot-driver)
  endif()
  if(TARGET rig-guest)
    add_dependencies(rig_container_e2e_tests rig-guest)
  endif()
  add_test(NAME container.e2e COMMAND rig_container_e2e_tests)
  set_tests_properties(container.e2e PROPERTIES LABELS e2e TIMEOUT 300)
endif()
