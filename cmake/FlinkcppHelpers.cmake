# Small helpers that keep every target of the project built the same way.

# flinkcpp_warnings(<target>): the project's warning set (and -Werror when
# FLINKCPP_WERROR is on).
function(flinkcpp_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
    -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
  # GCC 12 warns falsely on "literal" + std::string&& at -O2 (GCC bug 105329).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(FLINKCPP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# flinkcpp_sanitize(<list>): builds and links every target of the directory
# with the sanitizers named (as -fsanitize=<list> takes them; empty: none).
# UndefinedBehaviorSanitizer's checks stay recoverable, so that its
# suppressions (ci/ubsan-suppressions.txt) apply: ci/test.sh makes every
# other report fatal (UBSAN_OPTIONS=halt_on_error=1). Not with FLINKCPP_WERROR: GCC's flow analysis sees the
# sanitizers' checks and warns falsely (-Wmaybe-uninitialized in libstdc++).
function(flinkcpp_sanitize sanitizers)
  if(sanitizers STREQUAL "")
    return()
  endif()
  if(FLINKCPP_WERROR)
    message(FATAL_ERROR "FLINKCPP_SANITIZE=${sanitizers} cannot be combined with FLINKCPP_WERROR: "
                        "the compiler warns falsely under sanitizers")
  endif()
  if(NOT sanitizers MATCHES "^(address|undefined|thread|leak)(,(address|undefined|thread|leak))*$")
    message(FATAL_ERROR "FLINKCPP_SANITIZE=${sanitizers}: expected a comma-separated list of "
                        "address, undefined, thread and leak, e.g. address,undefined")
  endif()
  # -g1: line tables, so that reports name files and lines.
  set(flags -fsanitize=${sanitizers} -fno-omit-frame-pointer -g1)
  add_compile_options(${flags})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized) # the false warnings, in every file
  endif()
  add_link_options(${flags})
endfunction()

# flinkcpp_library(<name> [OBJECT] SOURCES <src>... [DEPS <target>...])
# A static (or object) library flinkcpp_<name> with the alias flinkcpp::<name>.
function(flinkcpp_library name)
  cmake_parse_arguments(ARG "OBJECT" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  if(ARG_OBJECT)
    add_library(flinkcpp_${name} OBJECT ${ARG_SOURCES})
  else()
    add_library(flinkcpp_${name} STATIC ${ARG_SOURCES})
  endif()
  add_library(flinkcpp::${name} ALIAS flinkcpp_${name})
  target_link_libraries(flinkcpp_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  flinkcpp_warnings(flinkcpp_${name})
endfunction()

# flinkcpp_test(<name> LABELS <label>... SOURCES <src>... [DEPS <target>...])
# One Boost.Test executable registered as one ctest test carrying the labels.
# A unit test also carries its area's label (unit/<area>/..., e.g. runtime),
# so that `ctest -L '^(runtime|state)$'` selects areas.
function(flinkcpp_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(test_${name} ${ARG_SOURCES})
  target_link_libraries(test_${name} PRIVATE ${ARG_DEPS} Boost::unit_test_framework)
  target_compile_definitions(test_${name} PRIVATE BOOST_TEST_MODULE=${name})
  flinkcpp_warnings(test_${name})
  add_test(NAME ${name} COMMAND test_${name} --log_level=test_suite)
  list(GET ARG_SOURCES 0 first_source)
  if(first_source MATCHES "^unit/([a-z_]+)/")
    list(APPEND ARG_LABELS ${CMAKE_MATCH_1})
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT})
endfunction()

# flinkcpp_job_library(<name> SOURCES <src>...), as the SDK gives it to users
# (the project adds its warnings to each with flinkcpp_warnings()).
include(FlinkcppJobLibrary)
