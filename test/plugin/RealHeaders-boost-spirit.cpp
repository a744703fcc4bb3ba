// FILE: test/plugin/RealHeaders-boost-spirit.cpp
// DESCRIPTION: No false positives on real code: Boost.Spirit (Debian
//   libboost-dev) X3 and Qi parsers and a Karma generator used for real —
//   rules with attributes, semantic actions, fusion-adapted structs,
//   phrase_parse with a skipper, symbols tables — inside and outside
//   with_alloc blocks and from [[tacit::uses(alloc)]] functions called
//   properly. Every check is on and its warnings are errors: any
//   diagnostic, or a crash, fails the test.
// REQUIRES: plugin, boost
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s 2>&1 | count 0
#include <tacit/alloc.hpp>

#include <boost/fusion/include/adapt_struct.hpp>
#include <boost/fusion/include/std_pair.hpp>
#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/include/karma.hpp>
#include <boost/spirit/include/qi.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace x3 = boost::spirit::x3;
namespace qi = boost::spirit::qi;
namespace karma = boost::spirit::karma;

namespace cfg {
struct Entry {
  std::string key;
  std::vector<double> values;
};
} // namespace cfg
BOOST_FUSION_ADAPT_STRUCT(cfg::Entry, key, values)

namespace grammar {
const x3::rule<class key_class, std::string> key = "key";
const x3::rule<class entry_class, cfg::Entry> entry = "entry";
const auto key_def = x3::lexeme[x3::alpha >> *(x3::alnum | x3::char_('_'))];
const auto entry_def = key >> '=' >> (x3::double_ % ',') >> ';';
BOOST_SPIRIT_DEFINE(key, entry)
} // namespace grammar

// Needs a context; called from inside with_alloc below.
[[tacit::uses(alloc)]] std::vector<cfg::Entry> parse_entries(const std::string &text) {
  std::vector<cfg::Entry> out;
  auto first = text.begin();
  x3::phrase_parse(first, text.end(), *grammar::entry, x3::space, out);
  return out;
}

[[tacit::uses(alloc)]] std::map<std::string, int> parse_pairs(const std::string &text) {
  std::map<std::string, int> out;
  auto first = text.begin();
  qi::rule<std::string::const_iterator, std::pair<std::string, int>(), qi::space_type>
      pair = qi::lexeme[+qi::alpha] >> ':' >> qi::int_;
  qi::phrase_parse(first, text.cend(), pair % ',', qi::space, out);
  return out;
}

std::size_t parse_all(tacit::arena &a, const std::string &config, const std::string &pairs) {
  std::size_t n = 0;
  with_alloc(a) {
    std::vector<cfg::Entry> entries = parse_entries(config);
    std::map<std::string, int> m = parse_pairs(pairs);
    double sum = 0;
    auto add = [&](auto &ctx) { sum += x3::_attr(ctx); };
    std::string numbers = "1.5 2.5 3";
    auto it = numbers.begin();
    x3::phrase_parse(it, numbers.end(), *x3::double_[add], x3::space);
    x3::symbols<int> units;
    units.add("kb", 1024)("mb", 1024 * 1024);
    int unit = 0;
    std::string size = "mb";
    auto sit = size.begin();
    x3::parse(sit, size.end(), units, unit);
    std::string generated;
    std::back_insert_iterator<std::string> sink(generated);
    karma::generate(sink, karma::double_ % ", ", std::vector<double>{1.0, 2.0});
    n = entries.size() + m.size() + static_cast<std::size_t>(sum) +
        static_cast<std::size_t>(unit) + generated.size();
  }
  return n;
}

// Outside any block.
bool plain(const std::string &s) {
  auto it = s.begin();
  return x3::parse(it, s.end(), x3::int_ >> *(',' >> x3::int_)) && it == s.end();
}
