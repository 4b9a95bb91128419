#include "grader/summary/markup.hpp"

#include <stdexcept>

#include "grader/report/escape.hpp"

namespace grader::summary {

std::string escape_html(std::string_view text) {
    return report::xml_escape(text, true);
}

void Markup::attributes(const Attr* begin, const Attr* end) {
    for (const Attr* a = begin; a != end; ++a) {
        out_ += ' ';
        out_ += a->name;
        out_ += "=\"";
        out_ += escape_html(a->value);
        out_ += '"';
    }
}

Markup& Markup::open(std::string_view tag, std::initializer_list<Attr> attrs) {
    out_ += '<';
    out_ += tag;
    attributes(attrs.begin(), attrs.end());
    out_ += '>';
    open_.emplace_back(tag);
    return *this;
}

Markup& Markup::open(std::string_view tag, const std::vector<Attr>& attrs) {
    out_ += '<';
    out_ += tag;
    attributes(attrs.data(), attrs.data() + attrs.size());
    out_ += '>';
    open_.emplace_back(tag);
    return *this;
}

Markup& Markup::close() {
    if (open_.empty()) throw std::logic_error("summary page: close() without an open element");
    out_ += "</" + open_.back() + ">";
    open_.pop_back();
    return *this;
}

Markup& Markup::element(std::string_view tag, std::string_view text) {
    return open(tag).text(text).close();
}

Markup& Markup::element(std::string_view tag, std::initializer_list<Attr> attrs,
                        std::string_view text) {
    return open(tag, attrs).text(text).close();
}

Markup& Markup::leaf(std::string_view tag, std::initializer_list<Attr> attrs) {
    out_ += '<';
    out_ += tag;
    attributes(attrs.begin(), attrs.end());
    out_ += "/>";
    return *this;
}

Markup& Markup::leaf(std::string_view tag, const std::vector<Attr>& attrs) {
    out_ += '<';
    out_ += tag;
    attributes(attrs.data(), attrs.data() + attrs.size());
    out_ += "/>";
    return *this;
}

Markup& Markup::text(std::string_view text) {
    out_ += report::xml_escape(text, false);
    return *this;
}

Markup& Markup::constant(std::string_view code) {
    if (code.find_first_of("<&") != std::string_view::npos)
        throw std::logic_error("summary page: the style sheet or script holds '<' or '&'");
    out_ += code;
    return *this;
}

std::string Markup::finish() {
    if (!open_.empty())
        throw std::logic_error("summary page: <" + open_.back() + "> was never closed");
    return std::move(out_);
}

}  // namespace grader::summary
