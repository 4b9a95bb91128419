# Writes the student kit (cmake -P, from the target student_kit of cmake/student_kit.cmake):
#   KIT_DIR/grader, grader-worker   the statically linked grader and the worker it starts
#   KIT_DIR/public_cases.json       the public bundle, made by the kit's own grader
#   KIT_DIR/kl_exercises.h          the header the students implement
#   KIT_DIR/template/               the students' template (check.sh, CI files, stubs)
#   KIT_DIR/README.md               how to use it
# and KIT_DIR.tar.gz of it all. Fails, saying why, when a binary needs a shared library other than
# glibc's, or a glibc newer than MAX_GLIBC: the kit would not run where it promises to.
cmake_minimum_required(VERSION 3.22)
foreach(var GRADER WORKER REFERENCE SOURCE_DIR KIT_DIR MAX_GLIBC STRIP OBJDUMP READELF)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "make_student_kit.cmake: -D${var}=... is missing")
    endif()
endforeach()

# glibc's own libraries: the only ones a kit binary may load.
set(glibc_libraries libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1
    ld-linux-x86-64.so.2)

function(check_binary file)
    get_filename_component(name ${file} NAME)
    execute_process(COMMAND ${READELF} -d ${file} OUTPUT_VARIABLE dynamic RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "readelf -d ${file} failed")
    endif()
    string(REGEX MATCHALL "\\(NEEDED\\)[^[]*\\[[^]]+\\]" needed "${dynamic}")
    foreach(entry IN LISTS needed)
        string(REGEX REPLACE ".*\\[([^]]+)\\]" "\\1" library "${entry}")
        if(NOT library IN_LIST glibc_libraries)
            message(FATAL_ERROR "The kit's ${name} needs ${library}, which is not part of glibc: "
                                "a machine without it could not run the kit. Link it statically "
                                "(cmake/static_libraries.cmake).")
        endif()
    endforeach()
    execute_process(COMMAND ${OBJDUMP} -T ${file} OUTPUT_VARIABLE symbols RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "objdump -T ${file} failed")
    endif()
    string(REGEX MATCHALL "GLIBC_[0-9.]+\\)? +[^\n]+" uses "${symbols}")
    set(newest 0)
    set(newest_symbol "")
    foreach(use IN LISTS uses)
        string(REGEX REPLACE "GLIBC_([0-9.]+).*" "\\1" version "${use}")
        string(REGEX REPLACE ".* ([^ ]+)$" "\\1" symbol "${use}")
        if(version VERSION_GREATER newest)
            set(newest ${version})
            set(newest_symbol ${symbol})
        endif()
    endforeach()
    if(newest VERSION_GREATER MAX_GLIBC)
        message(FATAL_ERROR "The kit's ${name} needs GLIBC_${newest} (for ${newest_symbol}), "
                            "newer than the ${MAX_GLIBC} it must run on: it would not start on "
                            "such a machine.")
    endif()
    message(STATUS "${name}: needs glibc ${newest} at most (${newest_symbol}), no other library")
endfunction()

file(REMOVE_RECURSE ${KIT_DIR} ${KIT_DIR}.tar.gz)
file(MAKE_DIRECTORY ${KIT_DIR})
foreach(binary ${GRADER} ${WORKER})
    get_filename_component(name ${binary} NAME)
    file(COPY_FILE ${binary} ${KIT_DIR}/${name})
    # Without the debugging sections a student's download is a tenth of the size.
    execute_process(COMMAND ${STRIP} --strip-unneeded ${KIT_DIR}/${name} RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "strip ${KIT_DIR}/${name} failed")
    endif()
    check_binary(${KIT_DIR}/${name})
endforeach()

# The bundle, by the kit's grader: it holds no hidden case and no reference.
execute_process(COMMAND ${KIT_DIR}/grader bundle --spec ${SOURCE_DIR}/exercises.yaml
                        --reference ${REFERENCE} -o ${KIT_DIR}/public_cases.json
                WORKING_DIRECTORY ${KIT_DIR} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "the kit's grader could not write the public bundle (exit ${status})")
endif()

file(COPY ${SOURCE_DIR}/student_template/kl_exercises.h DESTINATION ${KIT_DIR})
file(COPY ${SOURCE_DIR}/packaging/student-kit/README.md DESTINATION ${KIT_DIR})
file(COPY ${SOURCE_DIR}/student_template/ DESTINATION ${KIT_DIR}/template
     USE_SOURCE_PERMISSIONS PATTERN build EXCLUDE PATTERN tools EXCLUDE)

get_filename_component(parent ${KIT_DIR} DIRECTORY)
get_filename_component(name ${KIT_DIR} NAME)
execute_process(COMMAND ${CMAKE_COMMAND} -E tar czf ${name}.tar.gz ${name}
                WORKING_DIRECTORY ${parent} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "could not write ${KIT_DIR}.tar.gz")
endif()
message(STATUS "The student kit: ${KIT_DIR} and ${KIT_DIR}.tar.gz")
