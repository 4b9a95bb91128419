#pragma once
// `grader grade ... --repro DIR`: a C program per failing public case (c_program.hpp for a value
// case, property_program.hpp for a property) and a Makefile that builds them all against the
// student's library:
//   make -C DIR LIB=build/libsolution.so && DIR/ex1_kl_basic
// Hidden cases never get one. Programs a previous run wrote there are removed first, so the
// folder holds exactly the failures of the last run.

#include <string>
#include <vector>

#include "grader/grading/feedback.hpp"
#include "grader/grading/prepared.hpp"

namespace grader::repro {

struct Written {
    std::vector<std::string> programs;  // their names, "ex1_kl_basic"
    std::vector<std::string> skipped;   // "ex2/gibbs: ..." for failures no program reruns
};

// Throws grader::Error when DIR cannot be made or written.
Written write_repro(const std::string& dir, const grading::Prepared& prepared,
                    const std::vector<grading::FailedCase>& failed);

// The Makefile of `programs`.
std::string makefile(const std::vector<std::string>& programs);

}  // namespace grader::repro
