//===- AngleBlocks.h - The `with_alloc(R) < ... >` block form -------------===//
//
// FILE: plugin/core/AngleBlocks.h
// DESCRIPTION: The design card's spelling of the scope blocks,
//   `with_alloc(R) < statements >`, `without_alloc < statements >` and
//   `with_context(name, value) < statements >`. A
//   plugin cannot add grammar, so before the preprocessor reads a user file
//   its buffer is replaced by one in which each angle block's `<` and closing
//   `>` became `{` and `}`: the brace form the header's macros expand. The
//   rewrite has the same length, so every SourceLocation, line, column,
//   caret and fix-it stays exact.
//
//   Two layers:
//   - rewriteAngleBlocks(): pure, text in, text out (tested on its own).
//   - installAngleBlocks(): called from an ASTConsumer factory
//     (CreateASTConsumer); overrides the main file's buffer at once and each
//     non-system header's as its #include is seen, and reports an unclosed
//     block as one fatal error (nothing cascades after it).
//
//   Where a block ends: the first `>` token, or each `>` of a `>>` token,
//   that is
//     - at the block's own depth: outside every (), [] and {} opened inside
//       the block, and
//     - where a statement could begin: right after the block's `<`, after a
//       `;`, after a `}` that closes a statement block, or after the closing
//       `>` of a nested angle block.
//   A `{` starts a braced-init-list, not a statement block, when it follows
//   an identifier (except the keywords `else`, `do`, `try` and the like, and
//   `without_alloc`), a literal, `>`, `=`, `,`, `(`, `[` or `return`; so in
//   `T{1} > x` the `>` stays a comparison. Any other `{` (after `)`, `]`,
//   `;`, `}`, `:`, ...) opens a statement block: the body of an if, a loop,
//   a catch, a lambda. Templates
//   (`std::vector<std::vector<int>>`), comparisons (`if (a > b)`,
//   `bool g = a > b;`) and shifts are inside a statement and never end a
//   block.
//
//   What starts a block: an identifier token spelled exactly `with_alloc`
//   or `with_context` followed by a balanced `( ... )` and then `<`, or
//   `without_alloc` followed by `<`; not after `.` or `->`. Comments, string, raw-string and
//   character literals are skipped (clang's raw-mode Lexer), and so are
//   preprocessor directive lines (the header's own `#define with_alloc(...)`,
//   and a block written inside a macro's definition: spell that one with
//   braces). A block written in a macro's *arguments* is rewritten.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_ANGLEBLOCKS_H
#define TACIT_PLUGIN_CORE_ANGLEBLOCKS_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace clang {
class CompilerInstance;
class LangOptions;
} // namespace clang

namespace tacit {

// An angle block with no closing `>`.
struct AngleBlockError {
  unsigned Offset = 0;   // of its `with_alloc` / `without_alloc` token
  // Which block: 0 `with_alloc`, 1 `without_alloc`, 2 `with_context`.
  unsigned Form = 0;
  // Where the block was found still open: an enclosing `)`, `]` or `}`
  // closing around it (ClosedBy is that character), or the end of the file
  // (ClosedBy == 0, EndOffset == the file's size).
  unsigned EndOffset = 0;
  char ClosedBy = 0;
};

struct AngleRewrite {
  std::string Text;      // same length as the input
  unsigned Blocks = 0;   // angle blocks rewritten
  std::vector<AngleBlockError> Errors; // in the order they were found
  bool changed() const { return Blocks != 0; }
};

// Finds every angle block in Text (a whole file) and returns Text with each
// block's `<` and closing `>` turned into `{` and `}`. Pure.
AngleRewrite rewriteAngleBlocks(llvm::StringRef Text,
                                const clang::LangOptions &LangOpts);

// Cheap pre-filter: might Text contain an angle block at all?
bool mayContainAngleBlock(llvm::StringRef Text);

// Makes the preprocessor read every non-system file with its angle blocks
// rewritten. Call once from CreateASTConsumer (the main file's FileID exists
// then and nothing has been lexed yet).
void installAngleBlocks(clang::CompilerInstance &CI);

} // namespace tacit

#endif
