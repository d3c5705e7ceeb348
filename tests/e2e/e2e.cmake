# End-to-end suites: each tests/e2e/*.rig or *.expect with an
# `# EXPECT-EXIT:` line becomes a ctest test (label e2e) that runs
# `build/rig run` on real VMs and checks the exit code and output
# (run_e2e.cmake describes the directives).
get_filename_component(RIG_E2E_DIR ${CMAKE_CURRENT_LIST_DIR} ABSOLUTE)
file(GLOB RIG_E2E_SPECS CONFIGURE_DEPENDS
  ${RIG_E2E_DIR}/*.rig ${RIG_E2E_DIR}/*.expect)
if(TARGET rig)
  set(RIG_E2E_BINARY $<TARGET_FILE:rig>)
else()
  set(RIG_E2E_BINARY ${CMAKE_BINARY_DIR}/rig)
endif()
# Every suite runs on both node backends (docs/running.md): e2e.NAME on VMs,
# e2e.container.NAME with `rig run --backend=container`, from the same file.
# `# E2E-BACKENDS: vm` keeps a suite to one backend (what only a VM has);
# `own` runs it once as e2e.NAME without `--backend`, each node on the
# backend it names (a suite of VMs and containers).
foreach(spec ${RIG_E2E_SPECS})
  file(STRINGS ${spec} has_exit REGEX "^# EXPECT-EXIT:")
  if(NOT has_exit)
    continue()  # a helper file run by another spec
  endif()
  file(STRINGS ${spec} backends_line REGEX "^# E2E-BACKENDS:")
  set(backends vm container)
  if(backends_line)
    string(REGEX REPLACE "^# E2E-BACKENDS: *" "" backends "${backends_line}")
    separate_arguments(backends UNIX_COMMAND "${backends}")
  endif()
  get_filename_component(name ${spec} NAME_WE)
  foreach(backend ${backends})
    if(backend STREQUAL "own")
      set(test e2e.${name})
      set(serial TRUE)  # its VMs
      set(backend "")
    elseif(backend STREQUAL "vm")
      set(test e2e.${name})
      # Boots take ~10 s each under TCG; VM suites run one at a time so
      # that their timings stay meaningful on a 2-core host.
      set(serial TRUE)
    else()
      set(test e2e.${backend}.${name})
      set(serial FALSE)
    endif()
    add_test(NAME ${test}
      COMMAND ${CMAKE_COMMAND} -DRIG=${RIG_E2E_BINARY} -DSPEC=${spec}
              -DBACKEND=${backend} -P ${RIG_E2E_DIR}/run_e2e.cmake)
    set_tests_properties(${test} PROPERTIES
      LABELS e2e TIMEOUT 900 RUN_SERIAL ${serial})
  endforeach()
endforeach()

# The reports of one failing suite (tests/e2e/reports): every format of one
# run checked by its real consumer (xmllint and the junit-10 schema,
# junitparser, prove, JSON), and the live terminal under a real pty (tmux).
set(RIG_E2E_REPORTS ${RIG_E2E_DIR}/reports)
get_filename_component(RIG_E2E_XSD
  ${RIG_E2E_DIR}/../testdata/report/junit-10.xsd ABSOLUTE)
# Debian's python: python3-junitparser is installed for it, not for a
# python found first on PATH (pyenv).
add_test(NAME e2e.report_formats
  COMMAND /usr/bin/python3 ${RIG_E2E_REPORTS}/check_formats.py
          ${RIG_E2E_BINARY} ${RIG_E2E_REPORTS}/every_format.rig ${RIG_E2E_XSD}
          ${CMAKE_CURRENT_BINARY_DIR}/e2e-report-formats)
add_test(NAME e2e.report_live_tty
  COMMAND bash ${RIG_E2E_REPORTS}/check_live_tty.sh
          ${RIG_E2E_BINARY} ${RIG_E2E_REPORTS}/every_format.rig
          ${CMAKE_CURRENT_BINARY_DIR}/e2e-report-live-tty)
set_tests_properties(e2e.report_formats e2e.report_live_tty PROPERTIES
  LABELS e2e TIMEOUT 900 RUN_SERIAL TRUE)
# The same on containers.
add_test(NAME e2e.container.report_formats
  COMMAND /usr/bin/python3 ${RIG_E2E_REPORTS}/check_formats.py
          ${RIG_E2E_BINARY} ${RIG_E2E_REPORTS}/every_format.rig ${RIG_E2E_XSD}
          ${CMAKE_CURRENT_BINARY_DIR}/e2e-container-report-formats container)
add_test(NAME e2e.container.report_live_tty
  COMMAND bash ${RIG_E2E_REPORTS}/check_live_tty.sh
          ${RIG_E2E_BINARY} ${RIG_E2E_REPORTS}/every_format.rig
          ${CMAKE_CURRENT_BINARY_DIR}/e2e-container-report-live-tty container)
set_tests_properties(e2e.container.report_formats e2e.container.report_live_tty PROPERTIES
  LABELS e2e TIMEOUT 900)

# Host faults (host_faults.sh): QEMU killed mid-command beside a passing
# suite, and SIGINT mid-run; the reports of both stay whole and valid.
add_test(NAME e2e.host_faults
  COMMAND bash ${RIG_E2E_DIR}/host_faults.sh ${RIG_E2E_BINARY} ${RIG_E2E_XSD})
set_tests_properties(e2e.host_faults PROPERTIES
  LABELS e2e TIMEOUT 900 RUN_SERIAL TRUE)

# Sharding (docs/scaling.md, tests/e2e/shard): a directory of suites (one
# VM) whole and as 3 shards in 3 processes, merged: the same JSON and JUnit,
# the HTML in the browser; a missing and a duplicate shard refused. Then the
# same shards placed by a real Slurm (a single-host cluster the test starts
# and stops: slurm-wlm and munge, scripts/setup installs them).
add_test(NAME e2e.shard_merge
  COMMAND bash ${RIG_E2E_DIR}/shard/check_shards.sh ${RIG_E2E_BINARY}
          ${CMAKE_CURRENT_BINARY_DIR}/e2e-shard-merge)
add_test(NAME e2e.shard_slurm
  COMMAND bash ${RIG_E2E_DIR}/shard/slurm_array.sh ${RIG_E2E_BINARY}
          ${CMAKE_CURRENT_BINARY_DIR}/e2e-shard-slurm)
set_tests_properties(e2e.shard_merge e2e.shard_slurm PROPERTIES
  LABELS e2e TIMEOUT 900 RUN_SERIAL TRUE)
