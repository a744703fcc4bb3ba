#include "EscapeCheck.h"
namespace tacit {
void checkEscapes(clang::ASTContext &, Capabilities &, const Options &) {}
}
