# Unit tests of runtime/plan (Value, plan JSON) and golden plan tests.
if(TARGET rig_plan)
  add_executable(rig_plan_test
    ${CMAKE_SOURCE_DIR}/runtime/plan/value_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/plan/plan_test.cpp)
  target_link_libraries(rig_plan_test PRIVATE rig_plan GTest::gtest_main)
  add_test(NAME plan.unit COMMAND rig_plan_test)
endif()
