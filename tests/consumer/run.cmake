# cmake -DSRC=<tests/consumer> -DBIN=<work dir> -DMAIN_BUILD=<retort build dir>
#       [-DCXX=...] [-DGENERATOR=...] [-DMAKE_PROGRAM=...] [-DBUILD_TYPE=...]
#       [-DCXX_FLAGS=...] [-DLINKER_FLAGS=...] -P run.cmake
#
# Proves that an installed retort works through find_package(retort):
# installs MAIN_BUILD into a fresh prefix under BIN, configures the consumer
# project in tests/consumer against it, builds it and runs it.
cmake_minimum_required(VERSION 3.20)
foreach(v SRC BIN MAIN_BUILD)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run.cmake: -D${v}=... is required")
  endif()
endforeach()

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer: ${what} failed (${rc}):\n${out}")
  endif()
  message(STATUS "consumer: ${what}: ok")
endfunction()

set(prefix ${BIN}/prefix)
set(build ${BIN}/build)
file(REMOVE_RECURSE ${prefix} ${build})

step("install" ${CMAKE_COMMAND} --install ${MAIN_BUILD} --prefix ${prefix})

set(args -S ${SRC} -B ${build} -DCMAKE_PREFIX_PATH=${prefix})
if(GENERATOR)
  list(APPEND args -G ${GENERATOR})
endif()
foreach(pair CXX:CMAKE_CXX_COMPILER MAKE_PROGRAM:CMAKE_MAKE_PROGRAM BUILD_TYPE:CMAKE_BUILD_TYPE
             CXX_FLAGS:CMAKE_CXX_FLAGS LINKER_FLAGS:CMAKE_EXE_LINKER_FLAGS)
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 in)
  list(GET pair 1 out)
  if(DEFINED ${in} AND NOT "${${in}}" STREQUAL "")
    list(APPEND args "-D${out}=${${in}}")
  endif()
endforeach()
step("configure" ${CMAKE_COMMAND} ${args})
step("build" ${CMAKE_COMMAND} --build ${build})
step("run" ${build}/consumer)
