# Finds LLVM and Clang 19 for the plugin and tacit-lower (included by both
# plugin/CMakeLists.txt and tools/tacit-lower/CMakeLists.txt: find_package's
# results are per directory). LLVM_DIR / Clang_DIR are cache variables,
# Debian's /usr/lib/llvm-19 by default, so `cmake -DLLVM_DIR=...
# -DClang_DIR=...` moves both to another LLVM 19.
#
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
set(LLVM_DIR /usr/lib/llvm-19/lib/cmake/llvm CACHE PATH "LLVM 19 CMake dir")
set(Clang_DIR /usr/lib/llvm-19/lib/cmake/clang CACHE PATH "Clang 19 CMake dir")
find_package(LLVM REQUIRED CONFIG)
find_package(Clang REQUIRED CONFIG)
if(NOT LLVM_VERSION_MAJOR EQUAL 19)
  message(FATAL_ERROR "Tacit's plugin and tacit-lower need LLVM/Clang 19; "
    "found ${LLVM_PACKAGE_VERSION} in ${LLVM_DIR}. Run tools/setup-debian.")
endif()
