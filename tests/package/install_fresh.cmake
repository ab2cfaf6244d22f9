# cmake -DBUILD_DIR=<build tree> -DPREFIX=<dir> [-DCONFIG=<config>] -P install_fresh.cmake
# Installs the build tree into an emptied PREFIX, so no file of an earlier install survives.
foreach(_var BUILD_DIR PREFIX)
  if(NOT ${_var})
    message(FATAL_ERROR "install_fresh.cmake: ${_var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}")
set(_config_args "")
if(CONFIG)
  set(_config_args --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
                        ${_config_args} COMMAND_ERROR_IS_FATAL ANY)
