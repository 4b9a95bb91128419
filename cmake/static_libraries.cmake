# The student kit's build (GRADER_STATIC_KIT, `make student-kit`): every library the grader uses
# but glibc comes from its .a archive, so the kit's grader runs on a machine that has none of
# them. glibc stays shared: the worker dlopens the students' libraries, which a statically linked
# C library cannot do safely. Included before the find_package calls it redirects.
include_guard(GLOBAL)

# find_library, and so FindOpenSSL, FindSQLite3 and pkg_check_modules' imported targets, now find
# the archives (libffi.a, libseccomp.a, libarchive.a, libsqlite3.a, ...).
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
set(OPENSSL_USE_STATIC_LIBS TRUE)
find_package(Threads REQUIRED)

# Debian's yaml-cpp config names the shared library only; a target defined first wins (its
# config returns early when every target it would define exists).
find_library(GRADER_YAML_CPP_ARCHIVE NAMES yaml-cpp REQUIRED)
add_library(yaml-cpp STATIC IMPORTED)
set_target_properties(yaml-cpp PROPERTIES IMPORTED_LOCATION ${GRADER_YAML_CPP_ARCHIVE})

# Debian ships spdlog and fmt as shared libraries and headers only: the kit uses their headers
# alone, which compile the same code into the grader.
foreach(target fmt::fmt fmt::fmt-header-only)
    add_library(${target} INTERFACE IMPORTED)
    set_target_properties(${target} PROPERTIES INTERFACE_COMPILE_DEFINITIONS FMT_HEADER_ONLY=1)
endforeach()
foreach(target spdlog::spdlog spdlog::spdlog_header_only)
    add_library(${target} INTERFACE IMPORTED)
    set_target_properties(${target} PROPERTIES
        INTERFACE_COMPILE_DEFINITIONS SPDLOG_FMT_EXTERNAL
        INTERFACE_LINK_LIBRARIES "fmt::fmt;Threads::Threads")
endforeach()

# libcsv has no CMake config: the grader links it by name, which this target now stands for.
find_library(GRADER_CSV_ARCHIVE NAMES csv REQUIRED)
add_library(csv STATIC IMPORTED)
set_target_properties(csv PROPERTIES IMPORTED_LOCATION ${GRADER_CSV_ARCHIVE})

# libstdc++ and libgcc inside the executables too: a machine's own may be older than the
# compiler's here.
string(APPEND CMAKE_EXE_LINKER_FLAGS " -static-libstdc++ -static-libgcc")
# libarchive's table of formats holds every writer, xar's with libxml2 and ICU behind it; the
# grader writes zip only, and dropping the code nothing calls drops them (and ICU's 30 MB).
string(APPEND CMAKE_EXE_LINKER_FLAGS " -Wl,--gc-sections")
