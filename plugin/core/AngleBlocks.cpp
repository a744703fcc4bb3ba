//===- AngleBlocks.cpp - The `with_alloc(R) < ... >` block form -----------===//
//
// FILE: plugin/core/AngleBlocks.cpp
// DESCRIPTION: Rewrites angle blocks to brace blocks (same length) and makes
//   the preprocessor read the rewritten buffers. See AngleBlocks.h for the
//   block rules.
//
//   When the files are read, relative to CreateASTConsumer (spiked in Clang
//   19.1.7 with a trace of SourceManager and Preprocessor state in each hook;
//   kept honest by test/plugin/AngleBlocks*.cpp, which fail if a file is
//   read before its buffer is replaced):
//   - FrontendAction::BeginSourceFile creates the main file's FileID
//     (CompilerInstance::InitializeSourceManager) and the Preprocessor before
//     it calls CreateASTConsumer, but nothing is lexed yet: the main file is
//     entered (Preprocessor::EnterMainSourceFile, which builds its Lexer over
//     the SourceManager's buffer) only when the action executes, after every
//     consumer exists. Seen in the trace: at CreateASTConsumer the
//     SourceManager holds only the main file's entry, its buffer is not yet
//     loaded, and the Preprocessor has no current lexer. So overriding the
//     main file's contents from CreateASTConsumer is in time.
//   - A header's FileID is created, and its Lexer built, in
//     Preprocessor::HandleHeaderIncludeOrImport after
//     PPCallbacks::InclusionDirective returns (in the callback,
//     SourceManager::translateFile of the header is still invalid on its
//     first inclusion). So InclusionDirective can read the header, rewrite
//     it and override its contents before it is lexed. The override lives in
//     the file's ContentCache, which every later FileID of the same file
//     shares, so each file is done once.
//   - PPCallbacks::FileChanged(EnterFile) runs once the header's FileID
//     exists and before its first token: that is where a header's error is
//     reported (a location needs the FileID).
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "AngleBlocks.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MemoryBuffer.h"
#include "CapabilityNames.h"

using namespace clang;

namespace tacit {

namespace {

struct Tok {
  tok::TokenKind Kind;
  unsigned Offset;
  unsigned Length;
};

// Every token of Text outside comments, literals' insides and preprocessor
// directive lines.
std::vector<Tok> lexFile(const std::string &Buf, const LangOptions &LangOpts) {
  std::vector<Tok> Toks;
  // A raw lexer with an invalid file location: a token's location encodes
  // its offset in the buffer.
  Lexer L(SourceLocation(), LangOpts, Buf.data(), Buf.data(),
          Buf.data() + Buf.size());
  Token T;
  bool InDirective = false;
  while (true) {
    L.LexFromRawLexer(T);
    if (T.is(tok::eof))
      break;
    if (T.isAtStartOfLine())
      InDirective = T.is(tok::hash);
    if (InDirective)
      continue;
    Toks.push_back({T.getKind(), T.getLocation().getRawEncoding(),
                    T.getLength()});
  }
  return Toks;
}

// After these words a `{` opens a statement block, not an init list.
bool opensStatementBlock(llvm::StringRef Word) {
  return llvm::StringSwitch<bool>(Word)
      .Cases("else", "do", "try", "without_alloc", "const", "noexcept", true)
      .Cases("mutable", "override", "final", "volatile", "constexpr", true)
      .Cases("__try", "__finally", "__except", "namespace", true)
      .Default(false);
}

enum class Open { Paren, Square, Brace, InitBrace, Angle };

struct Frame {
  Open Kind;
  unsigned KeywordOffset = 0; // Angle: its with_alloc / without_alloc
  unsigned LessOffset = 0;    // Angle: its `<`
  unsigned Form = 0; // AngleBlockError::Form
};

} // namespace

bool mayContainAngleBlock(llvm::StringRef Text) {
  return Text.contains("with_alloc") || Text.contains("without_alloc") ||
         Text.contains("with_context");
}

AngleRewrite rewriteAngleBlocks(llvm::StringRef Text,
                                const LangOptions &LangOpts) {
  AngleRewrite R;
  R.Text = Text.str(); // null-terminated, as the raw lexer wants
  if (!mayContainAngleBlock(Text))
    return R;
  const std::string Buf = R.Text;
  std::vector<Tok> Toks = lexFile(Buf, LangOpts);
  auto Spelling = [&](const Tok &T) {
    return llvm::StringRef(Buf).substr(T.Offset, T.Length);
  };

  std::vector<Frame> Stack;
  // Could a statement begin at the current token? Only read when the
  // innermost open thing is an angle block.
  bool StmtStart = false;
  auto AtBlockLevel = [&] {
    return !Stack.empty() && Stack.back().Kind == Open::Angle && StmtStart;
  };
  auto CloseBlock = [&](unsigned Offset) {
    R.Text[Offset] = '}';
    ++R.Blocks;
    Stack.pop_back();
  };
  // An enclosing bracket closes while angle blocks are still open in it.
  auto AbandonBlocks = [&](unsigned Offset, char Closer) {
    while (!Stack.empty() && Stack.back().Kind == Open::Angle) {
      R.Errors.push_back({Stack.back().KeywordOffset, Stack.back().Form,
                          Offset, Closer});
      R.Text[Stack.back().LessOffset] = '<'; // not a block after all
      Stack.pop_back();
    }
  };

  for (size_t I = 0; I < Toks.size(); ++I) {
    const Tok &T = Toks[I];
    const Tok *Prev = I ? &Toks[I - 1] : nullptr;
    switch (T.Kind) {
    case tok::raw_identifier: {
      llvm::StringRef Word = Spelling(T);
      // (with_context(name, value) < ... >: the same shape as with_alloc.)
      bool WithContext = Word == "with_context";
      bool With = Word == "with_alloc" || WithContext,
           Without = Word == "without_alloc";
      if ((!With && !Without) ||
          (Prev && (Prev->Kind == tok::period || Prev->Kind == tok::arrow ||
                    Prev->Kind == tok::coloncolon)))
        break;
      size_t Less = I + 1;
      if (With) {
        if (Less >= Toks.size() || Toks[Less].Kind != tok::l_paren)
          break;
        unsigned Depth = 0;
        for (; Less < Toks.size(); ++Less) {
          if (Toks[Less].Kind == tok::l_paren)
            ++Depth;
          else if (Toks[Less].Kind == tok::r_paren && --Depth == 0)
            break;
        }
        ++Less; // the token after the `)`
      }
      if (Less >= Toks.size() || Toks[Less].Kind != tok::less)
        break; // the brace form, or not a block at all
      R.Text[Toks[Less].Offset] = '{';
      Stack.push_back({Open::Angle, T.Offset, Toks[Less].Offset,
                       Without ? 1u : WithContext ? 2u : 0u});
      StmtStart = true;
      I = Less;
      continue;
    }
    case tok::greater:
      if (AtBlockLevel()) {
        CloseBlock(T.Offset);
        StmtStart = true;
        continue;
      }
      break;
    case tok::greatergreater:
      if (AtBlockLevel()) {
        CloseBlock(T.Offset);
        if (AtBlockLevel()) {
          CloseBlock(T.Offset + 1);
          StmtStart = true;
        } else {
          StmtStart = false; // a lone `>` at a statement's start: not ours
        }
        continue;
      }
      break;
    case tok::semi:
      StmtStart = true;
      continue;
    case tok::l_paren:
      Stack.push_back({Open::Paren});
      break;
    case tok::l_square:
      Stack.push_back({Open::Square});
      break;
    case tok::l_brace: {
      bool Init = false;
      if (Prev) {
        switch (Prev->Kind) {
        case tok::raw_identifier:
          Init = !opensStatementBlock(Spelling(*Prev));
          break;
        case tok::greater:
        case tok::greatergreater:
        case tok::equal:
        case tok::comma:
        case tok::l_paren:
        case tok::l_square:
          Init = true;
          break;
        default: // `;`, `)`, `]`, `}`, `:`, a block's `<`, ...
          Init = tok::isLiteral(Prev->Kind);
          break;
        }
        // `>` / `>>` that closed an angle block became `}`: a statement
        // block ended there, so this `{` is a statement block too.
        if ((Prev->Kind == tok::greater || Prev->Kind == tok::greatergreater) &&
            R.Text[Prev->Offset + Prev->Length - 1] == '}')
          Init = false;
      }
      Stack.push_back({Init ? Open::InitBrace : Open::Brace});
      break;
    }
    case tok::r_paren:
    case tok::r_square:
    case tok::r_brace: {
      char Closer = T.Kind == tok::r_paren    ? ')'
                    : T.Kind == tok::r_square ? ']'
                                              : '}';
      AbandonBlocks(T.Offset, Closer);
      if (Stack.empty())
        break;
      Open Top = Stack.back().Kind;
      bool Matches = T.Kind == tok::r_paren    ? Top == Open::Paren
                     : T.Kind == tok::r_square ? Top == Open::Square
                                               : (Top == Open::Brace ||
                                                  Top == Open::InitBrace);
      if (!Matches)
        break; // unbalanced: clang will say so
      Stack.pop_back();
      if (Top == Open::Brace) {
        StmtStart = true;
        continue;
      }
      break;
    }
    default:
      break;
    }
    StmtStart = false;
  }
  AbandonBlocks(static_cast<unsigned>(Text.size()), 0);
  // Report the outermost first: it is the one left open longest.
  llvm::sort(R.Errors,
                   [](const AngleBlockError &A, const AngleBlockError &B) {
                     return A.Offset < B.Offset;
                   });
  return R;
}

namespace {

// The rewriting and the reporting, shared by the main file and the headers.
class AngleFiles {
public:
  AngleFiles(SourceManager &SM, DiagnosticsEngine &Diags,
             const LangOptions &LangOpts)
      : SM(SM), Diags(Diags), LangOpts(LangOpts) {}

  // Rewrites F's buffer if it holds angle blocks; remembers its first error.
  void process(FileEntryRef F) {
    if (!Done.insert(&F.getFileEntry()).second)
      return;
    std::optional<llvm::MemoryBufferRef> Buf =
        SM.getMemoryBufferForFileOrNone(F);
    if (!Buf)
      return;
    // The capability lists in [[tacit::uses(a, b)]] (CapabilityNames.h),
    // joined by the same kind of same-length rewrite.
    std::vector<CapabilityListSplit> Splits;
    std::optional<std::string> Lists =
        rewriteCapabilityLists(Buf->getBuffer(), LangOpts, Splits);
    llvm::StringRef Text = Lists ? llvm::StringRef(*Lists) : Buf->getBuffer();
    if (!Lists && !mayContainAngleBlock(Text))
      return;
    AngleRewrite RW = rewriteAngleBlocks(Text, LangOpts);
    if (!RW.Errors.empty())
      Pending[&F.getFileEntry()] = RW.Errors.front();
    if (RW.changed() || Lists) {
      auto New = llvm::MemoryBuffer::getMemBufferCopy(RW.Text, F.getName());
      rememberCapabilityLists(New->getBufferStart(), Splits);
      SM.overrideFileContents(F, std::move(New));
    }
  }

  // FID was just created for a file: report its unclosed block, if any.
  void entered(FileID FID) {
    if (Reported || Pending.empty())
      return;
    OptionalFileEntryRef F = SM.getFileEntryRefForID(FID);
    if (!F)
      return;
    auto It = Pending.find(&F->getFileEntry());
    if (It == Pending.end())
      return;
    const AngleBlockError E = It->second;
    Pending.erase(It);
    Reported = true;
    SourceLocation Start = SM.getLocForStartOfFile(FID);
    // Fatal: clang stops reporting after it, so the parse errors the
    // unrewritten `<` would cause never appear.
    Diags.Report(Start.getLocWithOffset(E.Offset),
                 Diags.getCustomDiagID(
                     DiagnosticsEngine::Fatal,
                     "%select{with_alloc|without_alloc|with_context}0 block has no "
                     "closing '>' [tacit-angle-blocks]"))
        << E.Form;
    if (E.ClosedBy)
      Diags.Report(Start.getLocWithOffset(E.EndOffset),
                   Diags.getCustomDiagID(
                       DiagnosticsEngine::Note,
                       "the enclosing '%0' closes here, with the block still "
                       "open; end the block with '>' where a statement could "
                       "begin (after its '<', a ';' or a '}')"))
          << std::string(1, E.ClosedBy);
    else
      Diags.Report(SM.getLocForEndOfFile(FID),
                   Diags.getCustomDiagID(
                       DiagnosticsEngine::Note,
                       "the file ends here, with the block still open; end "
                       "the block with '>' where a statement could begin "
                       "(after its '<', a ';' or a '}')"));
  }

private:
  SourceManager &SM;
  DiagnosticsEngine &Diags;
  const LangOptions &LangOpts;
  llvm::DenseSet<const FileEntry *> Done;
  llvm::DenseMap<const FileEntry *, AngleBlockError> Pending;
  bool Reported = false;
};

class AngleCallbacks : public PPCallbacks {
public:
  AngleCallbacks(std::shared_ptr<AngleFiles> Files, SourceManager &SM)
      : Files(std::move(Files)), SM(SM) {}

  // Before the header's FileID exists and before it is lexed.
  void InclusionDirective(SourceLocation, const Token &, StringRef, bool,
                          CharSourceRange, OptionalFileEntryRef File,
                          StringRef, StringRef, const Module *,
                          bool ModuleImported,
                          SrcMgr::CharacteristicKind FileType) override {
    if (!File || ModuleImported || FileType == SrcMgr::C_System ||
        FileType == SrcMgr::C_ExternCSystem)
      return;
    Files->process(*File);
  }

  void FileChanged(SourceLocation Loc, FileChangeReason Reason,
                   SrcMgr::CharacteristicKind, FileID) override {
    if (Reason == EnterFile && Loc.isFileID())
      Files->entered(SM.getFileID(Loc));
  }

private:
  std::shared_ptr<AngleFiles> Files;
  SourceManager &SM;
};

} // namespace

void installAngleBlocks(CompilerInstance &CI) {
  if (!CI.hasSourceManager() || !CI.hasPreprocessor())
    return;
  SourceManager &SM = CI.getSourceManager();
  auto Files =
      std::make_shared<AngleFiles>(SM, CI.getDiagnostics(), CI.getLangOpts());
  FileID Main = SM.getMainFileID();
  if (Main.isValid())
    if (OptionalFileEntryRef F = SM.getFileEntryRefForID(Main)) {
      Files->process(*F);
      Files->entered(Main);
    }
  CI.getPreprocessor().addPPCallbacks(
      std::make_unique<AngleCallbacks>(Files, SM));
}

} // namespace tacit
