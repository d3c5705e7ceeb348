# runtime/vm tests (beside the code). Unit tests run everywhere; the e2e
# tests boot QEMU VMs (label e2e) and need rig-guest next to the test binary.
if(TARGET rig_vm)
  add_executable(rig_vm_tests
    ${CMAKE_SOURCE_DIR}/runtime/vm/boot_trim_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/vm/console_follower_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/vm/cpio_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/vm/initramfs_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/vm/node_config_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/vm/qemu_command_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/vm/qmp_test.cpp)
  target_link_libraries(rig_vm_tests PRIVATE rig_vm GTest::gtest_main)
  add_test(NAME vm.unit COMMAND rig_vm_tests)

  add_executable(rig_vm_e2e_tests
    ${CMAKE_SOURCE_DIR}/runtime/vm/qemu_machine_e2e_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/vm/cleanup_e2e_test.cpp)
  target_link_libraries(rig_vm_e2e_tests PRIVATE rig_vm GTest::gtest_main)
  add_executable(rig-vm-boot-driver ${CMAKE_SOURCE_DIR}/runtime/vm/boot_driver.cpp)
  # Also boots containers (--containers) for runtime/container's cleanup test.
  target_link_libraries(rig-vm-boot-driver PRIVATE rig_container rig_vm)
  # Building the e2e tests builds what they run: the driver and the guest.
  add_dependencies(rig_vm_e2e_tests rig-vm-boot-driver)
  if(TARGET rig-guest)
    add_dependencies(rig_vm_e2e_tests rig-guest)
  endif()
  # Cluster checks that fail before any VM boots: not e2e.
  add_test(NAME vm.cluster COMMAND rig_vm_e2e_tests --gtest_filter=ClusterTest.*)
  add_test(NAME vm.e2e.machine COMMAND rig_vm_e2e_tests --gtest_filter=QemuMachineE2E.*)
  add_test(NAME vm.e2e.cleanup COMMAND rig_vm_e2e_tests --gtest_filter=CleanupE2E.*)
  set_tests_properties(vm.e2e.machine vm.e2e.cleanup PROPERTIES
    LABELS e2e TIMEOUT 1800 RESOURCE_LOCK qemu)
endif()
