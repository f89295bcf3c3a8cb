# flinkcpp_job_library(<name> SOURCES <src>...)
# A job library: a shared library of FLINKCPP_JOB jobs, compiled against the
# SDK's public headers only (the engine's symbols resolve in the flink-cpp
# binary that loads it) and stamped with the engine version and ABI it was
# built for. Run it by path:
#   flink-cpp run -t local path/to/lib<name>.so [job args]
# Part of the installed SDK (find_package(flinkcpp)) and used in this project.
function(flinkcpp_job_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  add_library(${name} SHARED ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE flinkcpp::sdk)
  set_target_properties(${name} PROPERTIES CXX_VISIBILITY_PRESET hidden)
endfunction()
