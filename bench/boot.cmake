# bench/boot: boot-time benchmark helpers (bench/boot/run prints the table).
if(TARGET rig_vm)
  add_executable(rig-bench-boot ${CMAKE_CURRENT_LIST_DIR}/boot/boot_node.cpp)
  target_link_libraries(rig-bench-boot PRIVATE rig_vm rig_host)
endif()
