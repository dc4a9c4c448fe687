# cmake -DEXE=BINARY -DSUITES="A;B;..." -P check_suites.cmake: fails when the GoogleTest binary
# lists a suite that CMake did not register (tests/CMakeLists.txt reads TEST lines from sources).
execute_process(COMMAND ${EXE} --gtest_list_tests OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} --gtest_list_tests failed (${rc})")
endif()
string(REPLACE "\n" ";" lines "${out}")
set(listed)
foreach(line ${lines})
  if(line MATCHES "^([A-Za-z0-9_]+)\\.$")
    list(APPEND listed ${CMAKE_MATCH_1})
  endif()
endforeach()
list(SORT listed)
if(NOT listed STREQUAL SUITES)
  message(FATAL_ERROR "${EXE} has the suites\n  ${listed}\nbut CTest registered\n  ${SUITES}\n"
                      "(write each test as TEST(Suite, Name) at the start of a line)")
endif()
message(STATUS "all ${EXE} suites registered")
