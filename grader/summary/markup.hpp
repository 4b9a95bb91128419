#pragma once
// Writing HTML (and the SVG inside it) without ever pasting text into markup: tags and attribute
// names are the page's own literals, every text and attribute value is escaped on the way in,
// and elements close in order, so the page stays well-formed (it parses as XML too) whatever a
// student's id, a roster's name or a message holds.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace grader::summary {

// For text between tags and for double-quoted attribute values: & < > " ' as entities, control
// characters and invalid UTF-8 made visible (report::xml_escape).
std::string escape_html(std::string_view text);

struct Attr {
    std::string_view name;  // a literal of the page
    std::string value;      // anything: escaped when written
};

class Markup {
  public:
    // <tag a="v" ...>; close() ends the innermost open element.
    Markup& open(std::string_view tag, std::initializer_list<Attr> attrs = {});
    Markup& open(std::string_view tag, const std::vector<Attr>& attrs);
    Markup& close();
    // <tag ...>text</tag>
    Markup& element(std::string_view tag, std::string_view text);
    Markup& element(std::string_view tag, std::initializer_list<Attr> attrs, std::string_view text);
    // <tag ... /> (void elements such as meta, and SVG shapes)
    Markup& leaf(std::string_view tag, std::initializer_list<Attr> attrs);
    Markup& leaf(std::string_view tag, const std::vector<Attr>& attrs);
    Markup& text(std::string_view text);
    // The page's own constant style sheet and script, never data. Refuses '<' and '&', which
    // would end the element early or read as markup to an XML parser.
    Markup& constant(std::string_view code);
    // The page; throws std::logic_error if an element is still open.
    std::string finish();

  private:
    void attributes(const Attr* begin, const Attr* end);
    std::string out_;
    std::vector<std::string> open_;
};

}  // namespace grader::summary
