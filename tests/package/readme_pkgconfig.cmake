# cmake -DREADME=<README.md> -DPREFIX=<install prefix> -DLIBDIR=<CMAKE_INSTALL_LIBDIR>
#       -DWORK_DIR=<dir> -DCOMPILED=ON|OFF -P readme_pkgconfig.cmake
# Runs the README's pkg-config snippet as written, on an installed copy: /opt/hp/lib becomes
# PREFIX/LIBDIR (the README's path is <libdir>/pkgconfig) and /opt/hp becomes PREFIX. Each line
# that runs `c++` runs in a fresh `sh` without PKG_CONFIG_PATH, after the snippet's `export`
# lines, and the program it built must run. The snippet must build both modes (the compiled one
# when COMPILED).
cmake_minimum_required(VERSION 3.25)
foreach(_var README PREFIX LIBDIR WORK_DIR)
  if(NOT ${_var})
    message(FATAL_ERROR "readme_pkgconfig.cmake: ${_var} is not set")
  endif()
endforeach()

file(READ "${README}" _readme)
string(FIND "${_readme}" "**pkg-config:**" _at)
if(_at LESS 0)
  message(FATAL_ERROR "README.md: no **pkg-config:** paragraph")
endif()
string(SUBSTRING "${_readme}" ${_at} -1 _readme)
if(NOT _readme MATCHES "\n```sh\n([^`]*)\n```")
  message(FATAL_ERROR "README.md: no ```sh block after **pkg-config:**")
endif()
set(_snippet "${CMAKE_MATCH_1}")
string(REPLACE "/opt/hp/lib/" "${PREFIX}/${LIBDIR}/" _snippet "${_snippet}")
string(REPLACE "/opt/hp" "${PREFIX}" _snippet "${_snippet}")

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(WRITE "${WORK_DIR}/trainer.cpp" [==[
#include <hyperparams/json.hpp>

#include <iostream>

int main() {
  const auto hp = hyperparams::parse(R"({"learning_rate": 0.01, "layers": 2})");
#ifdef HYPERPARAMS_COMPILED
  const char* mode = "compiled";
#else
  const char* mode = "header-only";
#endif
  std::cout << "trainer ok: " << mode << ", " << hp.layers << " layers\n";
  return hp.layers == 2 ? 0 : 1;
}
]==])

string(REPLACE "\n" ";" _lines "${_snippet}")
set(_exports "")
set(_modes "")
foreach(_line IN LISTS _lines)
  string(REGEX REPLACE "[ \t]+#.*$" "" _line "${_line}")
  if(_line MATCHES "^export ")
    string(APPEND _exports "${_line}\n")
    continue()
  endif()
  if(NOT _line MATCHES "(^| )c\\+\\+ ")
    continue()
  endif()
  set(_program "a.out")
  if(_line MATCHES " -o ([^ ]+)")
    set(_program "${CMAKE_MATCH_1}")
  endif()
  if(_line MATCHES "hyperparams-compiled")
    set(_mode compiled)
  else()
    set(_mode header-only)
  endif()
  set(_script "unset PKG_CONFIG_PATH\n${_exports}${_line}\n./${_program}\n")
  execute_process(
    COMMAND sh -c "${_script}"
    WORKING_DIRECTORY "${WORK_DIR}"
    RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _out
    ERROR_VARIABLE _err)
  set(_context "--- script:\n${_script}--- exit status: ${_rc}\n--- stdout:\n${_out}\n--- stderr:\n${_err}")
  if(NOT _rc EQUAL 0 OR _err MATCHES "was not found|No package")
    message(FATAL_ERROR "the README's pkg-config snippet fails as written\n${_context}")
  endif()
  if(NOT _out MATCHES "^trainer ok: ${_mode}, 2 layers\n$")
    message(FATAL_ERROR "expected a ${_mode} build\n${_context}")
  endif()
  message(STATUS "${_line}: ${_out}")
  list(APPEND _modes ${_mode})
endforeach()

set(_expected header-only)
if(COMPILED)
  list(APPEND _expected compiled)
endif()
foreach(_mode IN LISTS _expected)
  if(NOT _mode IN_LIST _modes)
    message(FATAL_ERROR "the README's pkg-config snippet has no ${_mode} build:\n${_snippet}")
  endif()
endforeach()
