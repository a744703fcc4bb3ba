// The plugin's annotations of user contexts reach code generation: clang
// emits each function's annotate attributes into llvm.global.annotations,
// reading every argument as a constant expression with its value. The
// plugin once passed a bare sizeof there, which clang read as a
// ConstantExpr anyway: the compiler crashed, or not, depending on the memory
// behind it (half the runs of the sanitizer suite). Many annotated
// definitions, compiled to IR, with the values the annotations carry.
// RUN: %clangxx -std=c++20 -O0 -S -emit-llvm %plugin %include %s -o - | FileCheck %s
// CHECK-DAG: c"tacit::uses_context\00"
// CHECK-DAG: c"tacit::without_context\00"
// CHECK-DAG: @llvm.global.annotations = appending global [60 x
#include <tacit/alloc.hpp>

struct Logger { int level; };
struct Span { long id[4]; };
TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(span, Span);
TACIT_CONTEXT(request_id, long);

#define ANNOTATED(n)                                                        \
  [[tacit::uses(logger)]] int f##n() { return tacit::get<logger>().level + n; } \
  [[tacit::uses(span)]] long g##n() { return tacit::get<span>().id[n % 4]; }  \
  [[tacit::without(request_id)]] int h##n() { return n; }
ANNOTATED(0) ANNOTATED(1) ANNOTATED(2) ANNOTATED(3) ANNOTATED(4)
ANNOTATED(5) ANNOTATED(6) ANNOTATED(7) ANNOTATED(8) ANNOTATED(9)
ANNOTATED(10) ANNOTATED(11) ANNOTATED(12) ANNOTATED(13) ANNOTATED(14)
ANNOTATED(15) ANNOTATED(16) ANNOTATED(17) ANNOTATED(18) ANNOTATED(19)
