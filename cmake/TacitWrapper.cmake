# tacit++, the compiler wrapper: every copy is tools/tacit++.in, configured
# for the place it serves (included by the top-level CMakeLists.txt, ahead of
# runtime/, which writes the runtime suites' copies):
#
#   build/bin/tacit++                     tools/CMakeLists.txt
#   build/runtime/suites/<name>/tacit++   runtime/CMakeLists.txt: a
#                                         sanitizer's (or debug) flags and
#                                         the runtime built with them
#   <prefix>/bin/tacit++                  the top-level install(CODE), at
#                                         install time (the prefix is known
#                                         only then)
#
#   tacit_configure_wrapper(<output> RUNTIME <archive> ROLE <text>
#                 [FLAGS <flag>...] [LINK_FLAGS <flag>...])
#
# RUNTIME is the static runtime linked whole (a generator expression is
# fine); FLAGS go on every command line, LINK_FLAGS on linking ones after the
# runtime; ROLE completes the script's "This copy:" line. The plugin is added
# when the tacit_plugin target exists (a generator expression: plugin/ is
# added after runtime/).
#
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

# The compiler every tacit++ runs (TACIT_CXX overrides it at run time).
find_program(TACIT_CLANGXX_FOR_WRAPPER NAMES clang++-19
  PATHS /usr/lib/llvm-19/bin)
if(NOT TACIT_CLANGXX_FOR_WRAPPER)
  set(TACIT_CLANGXX_FOR_WRAPPER "${CMAKE_CXX_COMPILER}")
endif()

set(TACIT_WRAPPER_TEMPLATE "${PROJECT_SOURCE_DIR}/tools/tacit++.in")
# Configure again when the template changes.
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY
  CMAKE_CONFIGURE_DEPENDS "${TACIT_WRAPPER_TEMPLATE}")

function(tacit_configure_wrapper output)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "RUNTIME;ROLE" "FLAGS;LINK_FLAGS")
  set(TACIT_CLANGXX "${TACIT_CLANGXX_FOR_WRAPPER}")
  set(TACIT_INCLUDE_DIR "${PROJECT_SOURCE_DIR}/runtime/include")
  set(TACIT_RUNTIME_ARCHIVE "${arg_RUNTIME}")
  set(TACIT_PLUGIN_FLAG
    "$<$<TARGET_EXISTS:tacit_plugin>:-fplugin=$<TARGET_FILE:tacit_plugin>>")
  string(JOIN " " TACIT_WRAPPER_FLAGS ${arg_FLAGS})
  string(JOIN " " TACIT_WRAPPER_LINK_FLAGS ${arg_LINK_FLAGS})
  set(TACIT_WRAPPER_ROLE "${arg_ROLE}")
  file(READ "${TACIT_WRAPPER_TEMPLATE}" template)
  string(CONFIGURE "${template}" script @ONLY)
  file(GENERATE OUTPUT "${output}" CONTENT "${script}"
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
      GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endfunction()
