#pragma once
// An on-disk cache of prepared cases: the drawn inputs and the reference's expected values, hidden
// cases included. Preparing is most of what a lone `grader grade` costs, and it gives the same
// result every time for the same spec file, reference library, seeds and grader, so an entry is
// keyed by their SHA-256 digests and the options that choose the cases.
//
// One file per spec, reference and choice of cases (a later edit of the spec replaces it rather
// than adding another). A file whose key does not match (a changed spec or reference: stale), or
// whose content does not match the digest it carries (cut short, edited, garbage), is ignored with
// a one-line warning and made again. A file is written beside its final name and renamed into
// place, so a grader never reads another's half-written file. Since it holds hidden cases' inputs
// and expected values, files are created 0600 in a 0700 directory, and a file owned by another
// user is not read.

#include <optional>
#include <string>
#include <string_view>

#include "grader/grading/prepared.hpp"
#include "grader/spec/spec.hpp"

namespace grader::grading {

// $XDG_CACHE_HOME/kl-grader, else $HOME/.cache/kl-grader; empty when neither variable is set.
std::string default_cache_dir();

// The linker's build id of the running program, in hex; empty when it has none. It changes with
// every change to the code, so the cache keys on it (and `grader --version` shows it).
std::string own_build_id();

class ExpectedCache {
  public:
    explicit ExpectedCache(std::string dir) : dir_(std::move(dir)) {}
    const std::string& dir() const { return dir_; }

    // prepare(spec, reference, options), taken from the cache when it holds these cases, else
    // computed and stored. Problems with the cache itself are warnings, never errors: the cases
    // are then simply computed.
    Prepared prepare(const spec::Spec& spec, const Reference& reference,
                     const PrepareOptions& options) const;

    // The file that holds the cases of this spec, reference and options (for tests).
    std::string path_for(const spec::Spec& spec, const Reference& reference,
                         const PrepareOptions& options) const;

  private:
    std::optional<Prepared> read(const std::string& path, const std::string& key) const;
    void write(const std::string& path, const std::string& key, const Prepared& prepared) const;

    std::string dir_;
};

// The cases as bytes and back, every field exactly (doubles bit for bit). Deserializing throws
// grader::Error when the bytes are not a serialization of prepared cases.
std::string serialize(const Prepared& prepared);
Prepared deserialize(std::string_view bytes);

}  // namespace grader::grading
