#pragma once
// A gradebook's latest grades, student by student and case by case, as comparable text: how the
// cluster tests hold a merge of shards to one unsharded batch.

#include <map>
#include <string>
#include <vector>

#include "grader/gradebook/gradebook.hpp"

namespace test_support {

inline std::map<std::string, std::vector<std::string>> case_by_case(const std::string& gradebook) {
    grader::gradebook::Gradebook book(gradebook, grader::gradebook::Access::ReadOnly);
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& row : book.class_grades().rows) {
        if (!row.current) continue;
        auto& lines = out[row.student.id];
        lines.push_back(std::string(grader::gradebook::name(row.current->record.status)) + " " +
                        row.current->record.key.submission_sha256);
        for (const auto& c : book.cases(row.current->id))
            lines.push_back(c.exercise + "/" + c.case_id + " " +
                            std::string(grader::result::name(c.verdict)) + " " +
                            std::to_string(c.points) + " " + c.fingerprint);
    }
    return out;
}

}  // namespace test_support
