#include <string>
std::string make_text() { return std::string(100, 'x'); }
