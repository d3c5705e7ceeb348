# bench/boot: boot-time benchmark helpers (bench/boot/run prints the table).
if(TARGET rig_container)
  add_executable(rig-bench-boot ${CMAKE_CURRENT_LIST_DIR}/boot/boot_node.cpp)
  target_link_libraries(rig-bench-boot PRIVATE rig_container rig_vm rig_host)
endif()
