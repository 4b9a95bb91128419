# cmake -DGRADER=path -DARG=__man -DOUTPUT=file [-DGZIP_TOO=ON] -P cmake/write_from_grader.cmake
# Writes what `grader ARG` prints into OUTPUT (and OUTPUT.gz, compressed as Debian wants a manual
# page: -9, and no name or time stamp, so that two builds give the same bytes).
foreach(var GRADER ARG OUTPUT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "write_from_grader.cmake: -D${var}=... is missing")
    endif()
endforeach()
get_filename_component(dir ${OUTPUT} DIRECTORY)
file(MAKE_DIRECTORY ${dir})
# A grader built with AddressSanitizer (GRADER_SANITIZE) runs here too: a leak report at exit
# would fail the build over a page that was written.
set(ENV{ASAN_OPTIONS} "detect_leaks=0")
execute_process(COMMAND ${GRADER} ${ARG} OUTPUT_FILE ${OUTPUT}.new RESULT_VARIABLE status
                ERROR_VARIABLE error)
if(NOT status EQUAL 0)
    file(REMOVE ${OUTPUT}.new)
    message(FATAL_ERROR "`${GRADER} ${ARG}` failed (${status}): ${error}")
endif()
file(RENAME ${OUTPUT}.new ${OUTPUT})
if(GZIP_TOO)
    find_program(GZIP gzip REQUIRED)
    execute_process(COMMAND ${GZIP} -9 -n -c ${OUTPUT} OUTPUT_FILE ${OUTPUT}.gz
                    RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "gzip -9 -n ${OUTPUT} failed (${status})")
    endif()
endif()
