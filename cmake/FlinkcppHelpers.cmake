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
function(flinkcpp_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(test_${name} ${ARG_SOURCES})
  target_link_libraries(test_${name} PRIVATE ${ARG_DEPS} Boost::unit_test_framework)
  target_compile_definitions(test_${name} PRIVATE BOOST_TEST_MODULE=${name})
  flinkcpp_warnings(test_${name})
  add_test(NAME ${name} COMMAND test_${name} --log_level=test_suite)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT})
endfunction()

# flinkcpp_job_library(<name> SOURCES <src>...), as the SDK gives it to users
# (the project adds its warnings to each with flinkcpp_warnings()).
include(FlinkcppJobLibrary)
