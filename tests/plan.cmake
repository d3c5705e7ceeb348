# Unit tests of runtime/plan (Value, plan JSON) and golden plan tests of
# compiler/lower (tests/testdata/plan/*.rig -> *.expected plan JSON).
if(TARGET rig_plan)
  add_executable(rig_plan_test
    ${CMAKE_SOURCE_DIR}/runtime/plan/value_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/plan/operators_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/plan/regex_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/plan/url_test.cpp
    ${CMAKE_SOURCE_DIR}/runtime/plan/plan_test.cpp)
  target_link_libraries(rig_plan_test PRIVATE rig_plan GTest::gtest_main)
  add_test(NAME plan.unit COMMAND rig_plan_test)
endif()
if(TARGET rig_lower AND TARGET rig_golden)
  rig_add_golden(plan rig-golden tests/testdata/plan plan)
endif()

# The todos example's API against a real PostgreSQL on the host, configured
# from the compiled plan (skipped without root/PostgreSQL/psycopg2).
add_test(NAME examples.todos.host
         COMMAND ${CMAKE_SOURCE_DIR}/examples/todos/test_on_host.sh
                 ${CMAKE_SOURCE_DIR}/tests/testdata/plan/todos.expected)

if(TARGET rig_lower)
  add_executable(rig_lower_test ${CMAKE_SOURCE_DIR}/compiler/lower/lower_test.cpp)
  target_link_libraries(rig_lower_test PRIVATE rig_lower rig_parse rig_ast
    GTest::gtest_main)
  add_test(NAME lower.unit COMMAND rig_lower_test)
endif()
# The normative example end to end on VMs is e2e.todos (tests/e2e/todos.expect).
