#include "grader/report/json_value.hpp"

#include <cmath>

#include "grader/report/report.hpp"

namespace grader::report {

nlohmann::ordered_json json_number(double value) {
    if (std::isfinite(value)) return value;
    return format_number(value);
}

void write_json(const nlohmann::ordered_json& value, std::ostream& out) {
    out << value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace grader::report
