# --keep-vms-on-failure and `rig attach` end to end (boots VMs; the driver's
# argument and run-directory errors are in driver.unit, the keeper and the
# run record in host.unit).
if(TARGET rig)
  add_test(NAME e2e.keep_vms
    COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/keep_vms.sh $<TARGET_FILE:rig>)
  set_tests_properties(e2e.keep_vms PROPERTIES
    LABELS e2e TIMEOUT 900 RUN_SERIAL TRUE)
  add_test(NAME e2e.container.keep_vms
    COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/keep_vms.sh $<TARGET_FILE:rig> container)
  set_tests_properties(e2e.container.keep_vms PROPERTIES LABELS e2e TIMEOUT 900)
endif()
