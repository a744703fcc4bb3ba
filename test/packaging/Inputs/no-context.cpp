// A call to a uses(alloc) function outside any context: the plugin refuses it.
#include <string>
#include <tacit/alloc.hpp>
TACIT_USES_ALLOC std::string make() { return std::string(40, 'x'); }
int main() { return static_cast<int>(make().size()); }
