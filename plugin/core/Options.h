//===- Options.h - The plugin's switches ----------------------------------===//
//
// FILE: plugin/core/Options.h
// DESCRIPTION: The switches (-fplugin-arg-tacit-<name>, or tacit-lower's
//   --arg=<name>), parsed from one table (Options.cpp, with the checks from
//   Checks.def), which also prints `help`. Every check can be turned off by
//   its name: -fplugin-arg-tacit-no-<check>.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_OPTIONS_H
#define TACIT_PLUGIN_CORE_OPTIONS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <bitset>
#include <string>

namespace tacit {

// One per row of Checks.def, in order.
enum class CheckId : unsigned {
#define TACIT_CHECK(Class, Name, Summary) Class,
#include "Checks.def"
};
inline constexpr unsigned NumChecks = 0
#define TACIT_CHECK(Class, Name, Summary) +1
#include "Checks.def"
    ;

// The check's name as diagnostics and switches spell it (no "tacit-").
llvm::StringRef checkName(CheckId C);
llvm::StringRef checkSummary(CheckId C);

struct Options {
  bool Werror = false;     // werror: Tacit's warnings are errors
  bool DumpScopes = false; // dump-scopes: a remark at each scope block
  bool EntryCheck = true;  // no-entry-check: uses(alloc) functions get no
                           // run-time entry check (WithoutAllocLowering.h)
  bool CoroutineLowering = true; // no-coroutine-lowering: coroutines are
                                 // left as written (CoroutineLowering.h)
  bool DumpCoroutines = false;   // dump-coroutines: a remark at each
                                 // coroutine lowered, and a count
  std::bitset<NumChecks> Disabled;

  bool enabled(CheckId C) const {
    return !Disabled[static_cast<unsigned>(C)];
  }

  // Applies one switch. False, with Error set, for an unknown one; `help`
  // prints the table to Help.
  bool parse(llvm::StringRef Switch, std::string &Error,
             llvm::raw_ostream &Help);
};

// The switch table, as `help` prints it (Prefix: how a switch is passed).
void printHelp(llvm::raw_ostream &OS, llvm::StringRef Prefix);

// The options the plugin was loaded with: the attribute handlers
// (Capabilities.cpp), which Clang calls with no context of ours, read them.
const Options &currentOptions();
void setCurrentOptions(const Options &O);

} // namespace tacit

#endif
