//===- Options.cpp - The plugin's switches, from one table ----------------===//
//
// FILE: plugin/core/Options.cpp
// DESCRIPTION: See Options.h.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Options.h"

#include "llvm/Support/Format.h"

namespace tacit {
namespace {

struct CheckRow {
  const char *Name;
  const char *Summary;
};
constexpr CheckRow CheckRows[] = {
#define TACIT_CHECK(Class, Name, Summary) {Name, Summary},
#include "Checks.def"
};

// The switches that are not `no-<check>`.
struct Switch {
  const char *Name;
  const char *Help;
  void (*Apply)(Options &);
};
constexpr Switch Switches[] = {
    {"help", "print this list", [](Options &) {}},
    {"werror",
     "make Tacit's warnings errors (Clang's -Werror and -Wno-... do not "
     "reach plugin diagnostics)",
     [](Options &O) { O.Werror = true; }},
    {"dump-scopes", "a remark at each with_alloc / without_alloc block",
     [](Options &O) { O.DumpScopes = true; }},
    {"no-entry-check",
     "do not insert the run-time context check (TACIT_CHECK) at the entry "
     "of [[tacit::uses(alloc)]] functions",
     [](Options &O) { O.EntryCheck = false; }},
    {"no-coroutine-lowering",
     "leave coroutines as written: their allocator context does not follow "
     "them (a co_await or co_yield inside a with_alloc / without_alloc block "
     "is then an error, tacit-coroutine-in-scope)",
     [](Options &O) { O.CoroutineLowering = false; }},
    {"dump-coroutines",
     "a remark at each coroutine the plugin lowers, and their count",
     [](Options &O) { O.DumpCoroutines = true; }},
};

Options &current() {
  static Options O;
  return O;
}

} // namespace

llvm::StringRef checkName(CheckId C) {
  return CheckRows[static_cast<unsigned>(C)].Name;
}
llvm::StringRef checkSummary(CheckId C) {
  return CheckRows[static_cast<unsigned>(C)].Summary;
}

bool Options::parse(llvm::StringRef Arg, std::string &Error,
                    llvm::raw_ostream &Help) {
  for (const Switch &S : Switches)
    if (Arg == S.Name) {
      S.Apply(*this);
      if (Arg == "help")
        printHelp(Help, "-fplugin-arg-tacit-");
      return true;
    }
  if (llvm::StringRef Name = Arg; Name.consume_front("no-"))
    for (unsigned I = 0; I < NumChecks; ++I)
      if (Name == CheckRows[I].Name) {
        Disabled.set(I);
        return true;
      }
  Error = "unknown plugin argument '" + Arg.str() + "'";
  return false;
}

void printHelp(llvm::raw_ostream &OS, llvm::StringRef Prefix) {
  OS << "tacit plugin switches (" << Prefix << "<name>):\n";
  for (const Switch &S : Switches)
    OS << "  " << llvm::left_justify(S.Name, 30) << S.Help << "\n";
  OS << "checks (each diagnostic ends in [tacit-<check>]; no-<check> turns "
        "it off):\n";
  for (const CheckRow &R : CheckRows)
    OS << "  no-" << llvm::left_justify(R.Name, 27) << R.Summary << "\n";
  OS << "See docs/diagnostics.md for every diagnostic.\n";
}

const Options &currentOptions() { return current(); }
void setCurrentOptions(const Options &O) { current() = O; }

} // namespace tacit
