# Runs one end-to-end suite and checks its exit code and output.
#
#   cmake -DRIG=build/rig -DSPEC=tests/e2e/x.rig [-DBACKEND=container] -P run_e2e.cmake
#
# BACKEND (vm, container) runs every node there (`rig run --backend=...`).
#
# Directives are comment lines in SPEC (a .rig file, or a .expect file that
# names what to run):
#   # RIG-RUN: FILE...        files to run, relative to SPEC (default: SPEC)
#   # RIG-ARGS: ARGS...       extra arguments of `rig run`
#   # E2E-CLEAN: DIR          removed before the run (host scratch space)
#   # EXPECT-EXIT: N          the exit code of `rig run`
#   # EXPECT-OUTPUT: TEXT     TEXT appears in the output, after the previous match
#   # EXPECT-NOT-OUTPUT: TEXT TEXT appears nowhere in the output
#   # E2E-BACKENDS: vm ...    the backends to run on (e2e.cmake; default both;
#                             `own`: once, each node on the backend it names)
cmake_minimum_required(VERSION 3.25)

if(NOT RIG OR NOT SPEC)
  message(FATAL_ERROR "usage: cmake -DRIG=... -DSPEC=... -P run_e2e.cmake")
endif()
get_filename_component(spec_dir ${SPEC} DIRECTORY)

file(STRINGS ${SPEC} lines)
set(run_files "")
set(rig_args "")
set(expect_exit "")
set(expected "")
set(forbidden "")
foreach(line IN LISTS lines)
  if(line MATCHES "^# RIG-RUN: (.*)$")
    separate_arguments(files UNIX_COMMAND "${CMAKE_MATCH_1}")
    foreach(f IN LISTS files)
      list(APPEND run_files ${spec_dir}/${f})
    endforeach()
  elseif(line MATCHES "^# RIG-ARGS: (.*)$")
    separate_arguments(args UNIX_COMMAND "${CMAKE_MATCH_1}")
    list(APPEND rig_args ${args})
  elseif(line MATCHES "^# E2E-CLEAN: (.*)$")
    file(REMOVE_RECURSE "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^# EXPECT-EXIT: ([0-9]+)$")
    set(expect_exit ${CMAKE_MATCH_1})
  elseif(line MATCHES "^# EXPECT-OUTPUT: (.*)$")
    list(APPEND expected "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^# EXPECT-NOT-OUTPUT: (.*)$")
    list(APPEND forbidden "${CMAKE_MATCH_1}")
  endif()
endforeach()
if(expect_exit STREQUAL "")
  message(FATAL_ERROR "${SPEC}: no `# EXPECT-EXIT:` line")
endif()
if(NOT run_files)
  set(run_files ${SPEC})
endif()
if(BACKEND)
  list(PREPEND rig_args --backend=${BACKEND})
endif()

string(TIMESTAMP start "%s")
execute_process(
  COMMAND ${RIG} run ${rig_args} ${run_files}
  RESULT_VARIABLE code
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
string(TIMESTAMP end "%s")
math(EXPR took "${end} - ${start}")
message("---- rig run ${rig_args} ${run_files} (exit ${code}, ${took} s)\n${output}----")

set(problems "")
if(NOT code STREQUAL expect_exit)
  string(APPEND problems "exit code ${code}, expected ${expect_exit}\n")
endif()
set(rest "${output}")
foreach(text IN LISTS expected)
  string(FIND "${rest}" "${text}" at)
  if(at EQUAL -1)
    string(FIND "${output}" "${text}" anywhere)
    if(anywhere EQUAL -1)
      string(APPEND problems "missing output: ${text}\n")
    else()
      string(APPEND problems "output out of order: ${text}\n")
    endif()
  else()
    string(LENGTH "${text}" n)
    math(EXPR at "${at} + ${n}")
    string(SUBSTRING "${rest}" ${at} -1 rest)
  endif()
endforeach()
foreach(text IN LISTS forbidden)
  string(FIND "${output}" "${text}" at)
  if(NOT at EQUAL -1)
    string(APPEND problems "unexpected output: ${text}\n")
  endif()
endforeach()
if(problems)
  message(FATAL_ERROR "${SPEC}:\n${problems}")
endif()
