#include "grader/cli/man_page.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>
#include <vector>

namespace grader::cli {

namespace {

// Text as roff reads it: a backslash is an escape, a minus that is not written \- may become a
// hyphen (and break copying an option from the page), and a line starting with a dot or a quote
// would be a request. `code` in a description becomes bold, as commands and file names are on a
// manual page.
std::string roff(const std::string& text) {
    std::string out;
    bool bold = false;
    for (char c : text) {
        if (c == '\\') {
            out += "\\e";
        } else if (c == '-') {
            out += "\\-";
        } else if (c == '`') {
            out += bold ? "\\fR" : "\\fB";
            bold = !bold;
        } else {
            out += c;
        }
    }
    if (bold) out += "\\fR";
    return out;
}

// A line of running text: roff() and no request at its start.
std::string text_line(const std::string& text) {
    const std::string line = roff(text);
    if (!line.empty() && (line[0] == '.' || line[0] == '\'')) return "\\&" + line;
    return line;
}

bool is_hidden(const CLI::Option* o) {
    return o->get_group().empty();
}

// A flag expects no value (CLI11 sets expected(0) for every add_flag).
bool takes_value(const CLI::Option* o) {
    return o->get_expected_max() != 0;
}

// What a value is called on the page: the option's long name in capitals (--time-limit
// TIME_LIMIT), which says more than CLI11's type names (TEXT, FLOAT).
std::string metavar(const CLI::Option* o) {
    std::string name = o->get_lnames().empty() ? o->get_name(true) : o->get_lnames().front();
    for (char& c : name) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
    return name;
}

// A validator's own words, e.g. "INT in [1 - 16]" for a range: CLI11 appends them to the type.
std::string constraint(const CLI::Option* o) {
    const std::string type = o->get_type_name();
    const auto colon = type.find(':');
    return colon == std::string::npos ? "" : type.substr(colon + 1);
}

std::vector<const CLI::Option*> positionals(const CLI::App& app) {
    return app.get_options(
        [](const CLI::Option* o) { return !o->nonpositional() && !is_hidden(o); });
}

std::vector<const CLI::Option*> named_options(const CLI::App& app) {
    return app.get_options([&app](const CLI::Option* o) {
        return o->nonpositional() && !is_hidden(o) && o != app.get_help_ptr();
    });
}

std::vector<const CLI::App*> commands(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
}

std::string positional_synopsis(const CLI::Option* o) {
    std::string s = "\\fI" + roff(o->get_name(true)) + "\\fR";
    if (o->get_items_expected_max() > 1) s += "...";
    return o->get_required() ? s : "[" + s + "]";
}

// ".TP" with the option's names and value, then its description, constraint and default.
void write_option(const CLI::Option* o, std::ostream& out) {
    std::string names;
    for (const std::string& s : o->get_snames()) names += (names.empty() ? "" : ", ") + ("\\-" + s);
    for (const std::string& l : o->get_lnames())
        names += (names.empty() ? "" : ", ") + ("\\-\\-" + roff(l));
    out << ".TP\n\\fB" << names << "\\fR";
    if (takes_value(o)) out << " \\fI" << roff(metavar(o)) << "\\fR";
    out << "\n" << text_line(o->get_description());
    const std::string c = constraint(o);
    if (!c.empty()) out << " (" << roff(c) << ")";
    if (!o->get_default_str().empty()) out << " [default: " << roff(o->get_default_str()) << "]";
    out << "\n";
}

// Written from the page's sections below rather than from the app: what no option declares.
const char* const kDescription = R"roff(.B grader
grades a submission, a shared library (\fI.so\fR) exporting the C functions of an exercise set,
against the trusted reference implementation of that set. The exercise set is a spec,
\fIexercises.yaml\fR: each function's prototype and contract, and per exercise its cases and
properties with their points, visibility and tolerances.
.PP
The submission is only ever loaded in a worker process, isolated by namespaces, a root of its
own, resource limits, Landlock and seccomp; each of its functions is called on many inputs, and
each output is compared with the reference's under the spec's tolerances. The report, for people
(text), machines (JSON), CI (JUnit) or Gradescope, gives \fBPASS\fR or \fBFAIL\fR per case and,
under a failure, the inputs, the values expected and returned, a smaller input that fails the same
way and what the numbers suggest. Hidden cases are graded and counted but never shown.
.PP
Students self\-check against a \fBpublic bundle\fR (\fBgrader bundle\fR), which holds the public
cases with their expected values and needs no reference. Instructors grade a class with
\fBgrader batch\fR into an SQLite gradebook (a folder of their own, or the download of Canvas,
Moodle, Blackboard or Gradescope as it comes, zip and all), write the file an LMS imports with
\fBgrader export\fR, place the reports for its feedback upload with \fBgrader feedback\fR, and
regrade after a change to the spec with \fBgrader regrade\fR.
.PP
Each command and its options are below. \fB\-v\fR may come before or after the command.
)roff";

const char* const kFiles =
    R"roff(In this section \fIPREFIX\fR is the folder above the one that holds
\fBgrader\fR: \fI/usr\fR for the Debian package, the \fB\-\-prefix\fR of \fBcmake \-\-install\fR,
and \fIbuild\fR in a build tree. Files are found from where \fBgrader\fR is, so an install can be
moved.
.TP
.I exercises.yaml
The spec, unless \fB\-\-spec\fR is given: \fIexercises.yaml\fR in the working directory if there
is one, else \fIPREFIX/share/kl\-grader/exercises.yaml\fR (the KL\-divergence set). The working
directory comes first so that an instructor who keeps a spec of their own, with its
\fIcourse.secret\fR, grades with it by running \fBgrader\fR from its folder, as the repository's
root does; the installed spec is the course as shipped.
.TP
.I PREFIX/libexec/kl\-grader/libkl_reference.so
The reference library, unless \fB\-\-reference\fR is given; in a build tree
\fIPREFIX/lib/libkl_reference.so\fR. It is installed out of the system library folders, which a
worker may read while it loads a submission. A \fB\-\-reference\fR path is a file path:
\fIexref.so\fR is the file in the working directory.
.TP
.I PREFIX/share/kl\-grader/*/exercises.yaml
The other exercise sets installed with the grader, each in a folder of its own with its
students' template, and its reference in \fIPREFIX/libexec/kl\-grader\fR. They are never the
default: grade with one by passing its \fB\-\-spec\fR and its \fB\-\-reference\fR. (The grader
knows no set's functions: it calls them through their prototypes in the spec.)
.TP
.I PREFIX/libexec/kl\-grader/grader\-worker
The worker that loads submissions (or \fIgrader\-worker\fR beside \fBgrader\fR); without it,
\fBgrader\fR runs itself as the worker.
.TP
.I course.secret
The course secret, beside the spec (or \fB\-\-secret\-file\fR): with it, each student's hidden
random inputs are their own. Keep it, and the spec, out of students' reach.
.TP
.I $XDG_CACHE_HOME/kl\-grader
The cache of expected values (else \fI~/.cache/kl\-grader\fR); it holds hidden cases' values and
is made readable by its owner only. \fB\-\-cache\-dir\fR puts it elsewhere, \fB\-\-no\-cache\fR
leaves it alone.
.TP
.I gradebook.sqlite
The gradebook \fBbatch\fR, \fBexport\fR, \fBregrade\fR and \fBsummary\fR use by default, in the
working directory.
.TP
.I PREFIX/share/kl\-grader/student_template
What students start from: the header, a stub solution, its CMakeLists.txt and CI files; the
headers are also in \fIPREFIX/include/kl\-grader\fR.
.TP
.I PREFIX/share/doc/kl\-grader
The guides for students, instructors, CI and clusters, and the reference of the spec format.
)roff";

const char* const kEnvironment = R"roff(.TP
.B XDG_CACHE_HOME\fR, \fBHOME
Where the cache of expected values is (see \fBFILES\fR).
.TP
.B NO_COLOR
When set, the text report has no colour, even on a terminal.
.TP
.B TERM
\fBbatch\fR and \fBregrade\fR rewrite one status line in place on a terminal unless it is
\fBdumb\fR; otherwise they print a line per submission.
.TP
.B SLURM_ARRAY_TASK_ID\fR, \fBSLURM_ARRAY_TASK_COUNT\fR, \fBSLURM_ARRAY_TASK_MIN
Read by \fBbatch \-\-shard auto\fR in a Slurm job array.
.TP
.B JOB_COMPLETION_INDEX
Read by \fBbatch \-\-shard auto/\fIN\fR in a Kubernetes Indexed Job.
)roff";

const char* const kExitStatus = R"roff(.TP
.B grade
0 full marks; 1 graded and short of full marks (a library that cannot be loaded is graded too:
zero points and its load error in the report); 2 the grader could not do its job (bad
arguments, a broken spec, no reference).
.TP
.B validate
0 the spec and the reference agree; 1 problems were found (each is listed); 2 as for
\fBgrade\fR.
.TP
.B batch\fR, \fBregrade
0 every submission was graded, whatever the scores; 1 some could not be (system errors,
ambiguous inputs); 2 the batch could not run at all; 128 + the signal when interrupted.
.TP
.B the other commands
0 done; 2 not done, with a sentence on standard error saying why.
)roff";

const char* const kExamples = R"roff(A student, against the public bundle:
.PP
.RS
.nf
grader grade build/libsolution.so \-\-spec public_cases.json
.fi
.RE
.PP
An instructor, every case, hidden ones too, with the installed spec and reference:
.PP
.RS
.nf
grader grade submissions/alice.so
grader grade alice.so \-\-format json \-o alice.json
grader bundle \-o public_cases.json
.fi
.RE
.PP
A class, its grades for a spreadsheet or an LMS, and its summary page:
.PP
.RS
.nf
grader batch submissions/ \-\-roster roster.csv \-\-out reports/
grader export \-\-format canvas \-\-assignment "KL exercises (4711)" \-o canvas.csv
grader summary \-\-html class.html \-\-reports reports/
.fi
.RE
.PP
A Moodle class, from its download to its grading worksheet and feedback files:
.PP
.RS
.nf
grader batch submissions.zip \-\-roster worksheet.csv \-\-out reports/ \-\-format text
grader export \-\-format moodle\-worksheet \-\-roster worksheet.csv \-o filled.csv
grader feedback \-\-format moodle \-\-reports reports/ \-o feedback.zip
.fi
.RE
.PP
Shard 1 of 3 of a class, then the shards joined:
.PP
.RS
.nf
grader batch class/ \-\-shard 1/3 \-\-gradebook grades/shard\-{k}\-of\-{n}.sqlite
grader merge grades/gradebook.sqlite grades/shard\-*\-of\-3.sqlite
.fi
.RE
)roff";

// Values a completion can offer for an option: (command, option) to words.
const std::map<std::pair<std::string, std::string>, std::string>& value_words() {
    static const std::map<std::pair<std::string, std::string>, std::string> words = {
        {{"grade", "--format"}, "text json junit gradescope classroom"},
        {{"batch", "--format"}, "text junit gradescope classroom"},
        {{"export", "--format"}, "csv long canvas moodle moodle-worksheet blackboard"},
        {{"batch", "--layout"}, "auto canvas moodle blackboard gradescope plain"},
        {{"batch", "--roster-format"}, "auto canvas moodle blackboard gradescope ours"},
        {{"export", "--roster-format"}, "auto canvas moodle blackboard gradescope ours"},
        {{"feedback", "--format"}, "canvas moodle dir"},
        {{"batch", "--shard"}, "auto"},
    };
    return words;
}

// What the completion offers for an option's value: files of a kind, folders, or nothing for a
// number.
std::string value_action(const CLI::Option* o) {
    const std::string name = "--" + (o->get_lnames().empty() ? "" : o->get_lnames().front());
    if (name == "--spec") return "_filedir '@(yaml|yml|json)'";
    if (name == "--reference") return "_filedir so";
    if (name == "--out" || name == "--cache-dir" || name == "--reports") return "_filedir -d";
    const std::string type = o->get_type_name();
    for (const char* number : {"INT", "UINT", "FLOAT", "NUMBER"})
        if (type.rfind(number, 0) == 0) return "COMPREPLY=()";
    return "_filedir";
}

}  // namespace

void write_man_page(const CLI::App& app, const std::string& version, const std::string& date,
                    std::ostream& out) {
    out << ".\\\" Written by `grader __man` from grader's own command line: do not edit.\n";
    out << ".TH GRADER 1 \"" << date << "\" \"kl-grader " << roff(version)
        << "\" \"User Commands\"\n";
    out << ".SH NAME\ngrader \\- grade compiled submissions of an exercise set against its "
           "reference\n";
    out << ".SH SYNOPSIS\n";
    for (const CLI::App* sub : commands(app)) {
        out << ".B grader\n" << roff(sub->get_name());
        if (!named_options(*sub).empty()) out << " [\\fIoptions\\fR]";
        for (const CLI::Option* p : positionals(*sub)) out << " " << positional_synopsis(p);
        out << "\n.br\n";
    }
    out << ".B grader \\-\\-version\n.br\n.B grader \\-\\-help\n";
    out << ".SH DESCRIPTION\n" << kDescription;
    out << ".SH COMMANDS\n";
    for (const CLI::App* sub : commands(app)) {
        out << ".SS \"grader " << roff(sub->get_name());
        if (!named_options(*sub).empty()) out << " [\\fIoptions\\fR]";
        for (const CLI::Option* p : positionals(*sub)) out << " " << positional_synopsis(p);
        out << "\"\n" << text_line(sub->get_description()) << ".\n";
        for (const CLI::Option* p : positionals(*sub)) {
            out << ".TP\n\\fI" << roff(p->get_name(true)) << "\\fR\n"
                << text_line(p->get_description()) << "\n";
        }
        for (const CLI::Option* o : named_options(*sub)) write_option(o, out);
    }
    out << ".SH GLOBAL OPTIONS\n";
    for (const CLI::Option* o : named_options(app)) write_option(o, out);
    out << ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nPrint the commands, or with a command its "
           "options, and exit.\n";
    out << ".SH FILES\n" << kFiles;
    out << ".SH ENVIRONMENT\n" << kEnvironment;
    out << ".SH EXIT STATUS\n" << kExitStatus;
    out << ".SH EXAMPLES\n" << kExamples;
    out << ".SH SEE ALSO\n"
           "The guides in \\fIPREFIX/share/doc/kl\\-grader\\fR: \\fIREADME.md\\fR, then "
           "\\fIdocs/students.md\\fR, \\fIdocs/instructors.md\\fR, \\fIdocs/ci.md\\fR, "
           "\\fIdocs/cluster.md\\fR, \\fIdocs/install.md\\fR; the spec format in "
           "\\fIdocs/spec.md\\fR and the sandbox in \\fIdocs/isolation.md\\fR.\n";
}

void write_bash_completion(const CLI::App& app, std::ostream& out) {
    std::string names;
    for (const CLI::App* sub : commands(app)) names += (names.empty() ? "" : " ") + sub->get_name();
    std::string global;
    for (const CLI::Option* o : named_options(app))
        for (const std::string& n : o->get_snames()) global += " -" + n;
    for (const CLI::Option* o : named_options(app))
        for (const std::string& n : o->get_lnames()) global += " --" + n;

    out << "# bash completion for grader(1), written by `grader __completion` from grader's own\n"
           "# command line: do not edit.\n"
           "_grader() {\n"
           "    local cur prev words cword\n"
           "    _init_completion || return\n"
           "    local command='' i\n"
           "    for ((i = 1; i < cword; i++)); do\n"
           "        case ${words[i]} in\n"
           "            -*) ;;\n"
           "            *) command=${words[i]}; break ;;\n"
           "        esac\n"
           "    done\n"
           "    if [[ -z $command ]]; then\n"
           "        COMPREPLY=($(compgen -W '"
        << names << global
        << " -h --help' -- \"$cur\"))\n"
           "        return\n"
           "    fi\n"
           "    local options='' valued=''\n"
           "    case $command in\n";
    for (const CLI::App* sub : commands(app)) {
        std::string options = "-h --help" + global;
        std::string valued;
        for (const CLI::Option* o : named_options(*sub)) {
            for (const std::string& n : o->get_snames()) {
                options += " -" + n;
                if (takes_value(o)) valued += " -" + n;
            }
            for (const std::string& n : o->get_lnames()) {
                options += " --" + n;
                if (takes_value(o)) valued += " --" + n;
            }
        }
        out << "        " << sub->get_name() << ") options='" << options << "' valued='" << valued
            << " ' ;;\n";
    }
    out << "        *) return ;;\n"
           "    esac\n"
           "    if [[ $valued == *\" $prev \"* ]]; then\n"
           "        case $command:$prev in\n";
    for (const auto& [key, words] : value_words())
        out << "            " << key.first << ":" << key.second << ") COMPREPLY=($(compgen -W '"
            << words << "' -- \"$cur\")) ;;\n";
    // Each option's value by the same rule whatever the command: grouped into one pattern per
    // action, the files of any kind last.
    std::map<std::string, std::string> action_of;
    for (const CLI::App* sub : commands(app))
        for (const CLI::Option* o : named_options(*sub))
            if (takes_value(o)) {
                for (const std::string& n : o->get_snames()) action_of["-" + n] = value_action(o);
                for (const std::string& n : o->get_lnames()) action_of["--" + n] = value_action(o);
            }
    std::map<std::string, std::string> patterns;
    for (const auto& [option, action] : action_of)
        if (action != "_filedir")
            patterns[action] += (patterns[action].empty() ? "*:" : " | *:") + option;
    for (const auto& [action, pattern] : patterns)
        out << "            " << pattern << ") " << action << " ;;\n";
    out << "            *) _filedir ;;\n"
           "        esac\n"
           "        return\n"
           "    fi\n"
           "    if [[ $cur == -* ]]; then\n"
           "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
           "    else\n"
           "        _filedir\n"
           "    fi\n"
           "} &&\n"
           "    complete -F _grader grader\n";
}

}  // namespace grader::cli
