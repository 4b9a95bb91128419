# The student kit (`make student-kit`, docs/student-kit.md): the statically linked grader and its
# worker, the public bundle, the header and the template, in GRADER_KIT_DIR, with
# GRADER_KIT_DIR.tar.gz beside it. Included after grader/, in the GRADER_STATIC_KIT build only.
include_guard(GLOBAL)

set(GRADER_KIT_DIR ${CMAKE_BINARY_DIR}/student-kit CACHE PATH
    "Where `make student-kit` writes the kit (its tarball goes beside it)")
# The oldest glibc the kit must run on: Debian 12 builds it, Ubuntu 22.04 and RHEL 9 have 2.34.
set(GRADER_KIT_MAX_GLIBC 2.34 CACHE STRING "The newest GLIBC_ symbol version the kit may need")

# What the archives need in turn, which their imported targets do not say: SQLite's libm, and
# libarchive's own libraries (its pkg-config Libs.private), each from its archive too.
set_property(TARGET SQLite::SQLite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES
             m ${CMAKE_DL_LIBS} Threads::Threads)
set(kit_archive_libraries "")
foreach(name IN LISTS LIBARCHIVE_STATIC_LIBRARIES)
    if(name STREQUAL "archive")
        continue()
    endif()
    find_library(GRADER_KIT_${name}_ARCHIVE NAMES ${name})
    if(NOT GRADER_KIT_${name}_ARCHIVE)
        message(FATAL_ERROR "The student kit links libarchive statically and needs lib${name}.a, "
                            "which is not installed: run `scripts/setup-deps.sh kit`.")
    endif()
    list(APPEND kit_archive_libraries ${GRADER_KIT_${name}_ARCHIVE})
endforeach()
set_property(TARGET PkgConfig::LIBARCHIVE APPEND PROPERTY INTERFACE_LINK_LIBRARIES
             ${kit_archive_libraries})
set_property(TARGET PkgConfig::LIBARCHIVE APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS
             LIBARCHIVE_STATIC)

# What Debian 12's archives want of glibc 2.35 and 2.36, answered from inside the executables.
foreach(exe grader grader-worker)
    target_sources(${exe} PRIVATE ${PROJECT_SOURCE_DIR}/grader/kit/newer_glibc.c)
endforeach()

find_program(GRADER_OBJDUMP NAMES objdump REQUIRED)
find_program(GRADER_READELF NAMES readelf REQUIRED)
add_custom_target(student_kit ALL
    COMMAND ${CMAKE_COMMAND}
            -DGRADER=$<TARGET_FILE:grader> -DWORKER=$<TARGET_FILE:grader-worker>
            -DREFERENCE=$<TARGET_FILE:kl_reference> -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DKIT_DIR=${GRADER_KIT_DIR} -DMAX_GLIBC=${GRADER_KIT_MAX_GLIBC}
            -DSTRIP=${CMAKE_STRIP} -DOBJDUMP=${GRADER_OBJDUMP} -DREADELF=${GRADER_READELF}
            -P ${PROJECT_SOURCE_DIR}/cmake/make_student_kit.cmake
    DEPENDS grader grader-worker kl_reference ${PROJECT_SOURCE_DIR}/cmake/make_student_kit.cmake
    COMMENT "Writing the student kit to ${GRADER_KIT_DIR}"
    VERBATIM)
