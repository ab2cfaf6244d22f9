# Package tests: a consumer project (consumer/) is configured, built and run against
#   - an installed copy, through find_package()      (package_find_package)
#   - the source tree, through add_subdirectory()    (package_add_subdirectory)
#   - an installed copy, through pkg-config          (package_pkgconfig)
#   - the README's pkg-config commands, run by sh      (package_pkgconfig_readme)
# The installed copy comes from the fixture test package_install. Every test has its own build
# directory under ${CMAKE_CURRENT_BINARY_DIR}/package, so they may run in parallel.

set(_hp_pkg_dir "${CMAKE_CURRENT_BINARY_DIR}/package")
set(_hp_pkg_prefix "${_hp_pkg_dir}/install")
set(_hp_pkg_consumer "${CMAKE_CURRENT_SOURCE_DIR}/package/consumer")

# The configuration to build and install: the one ctest runs (-C) for multi-config generators,
# CMAKE_BUILD_TYPE otherwise.
get_property(_hp_multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
if(_hp_multi_config)
  set(_hp_pkg_config "$<CONFIG>")
else()
  set(_hp_pkg_config "${CMAKE_BUILD_TYPE}")
endif()

# Options of `ctest --build-and-test` common to every consumer build: the parent's generator,
# build tool, compiler, build type and nlohmann_json.
set(_hp_pkg_build_args --build-generator "${CMAKE_GENERATOR}" --build-makeprogram
                       "${CMAKE_MAKE_PROGRAM}")
if(CMAKE_GENERATOR_PLATFORM)
  list(APPEND _hp_pkg_build_args --build-generator-platform "${CMAKE_GENERATOR_PLATFORM}")
endif()
if(CMAKE_GENERATOR_TOOLSET)
  list(APPEND _hp_pkg_build_args --build-generator-toolset "${CMAKE_GENERATOR_TOOLSET}")
endif()
if(_hp_pkg_config)
  list(APPEND _hp_pkg_build_args --build-config "${_hp_pkg_config}")
endif()
set(_hp_pkg_options "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}"
                    "-DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}"
                    "-Dnlohmann_json_DIR=${nlohmann_json_DIR}")

# Adds test package_<mode>: builds the consumer with CONSUMER_MODE=<mode> and runs it; with
# COMPILED, test package_<mode>_compiled, the same through the compiled library.
function(hyperparams_package_test mode)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "COMPILED" "" "OPTIONS;PROPERTIES")
  set(_name ${mode})
  if(ARG_COMPILED)
    set(_name ${mode}_compiled)
    list(APPEND ARG_OPTIONS -DCONSUMER_COMPILED=ON)
  endif()
  add_test(
    NAME package_${_name}
    COMMAND
      ${CMAKE_CTEST_COMMAND} --build-and-test "${_hp_pkg_consumer}" "${_hp_pkg_dir}/${_name}"
      ${_hp_pkg_build_args} --build-project hyperparams_consumer --build-options
      ${_hp_pkg_options} -DCONSUMER_MODE=${mode} ${ARG_OPTIONS} --test-command consumer)
  set_tests_properties(package_${_name} PROPERTIES LABELS package ${ARG_PROPERTIES})
  set_property(TEST package_${_name} APPEND PROPERTY FIXTURES_REQUIRED hyperparams_consumers_clean)
endfunction()

# Every run configures the consumers afresh: a build tree of an earlier run keeps what
# find_package and pkg_check_modules found then (a moved .pc file, say) in its cache.
add_test(NAME package_clean_consumers COMMAND ${CMAKE_COMMAND} -E rm -rf
                                              "${_hp_pkg_dir}/add_subdirectory"
                                              "${_hp_pkg_dir}/add_subdirectory_compiled"
                                              "${_hp_pkg_dir}/find_package"
                                              "${_hp_pkg_dir}/find_package_compiled"
                                              "${_hp_pkg_dir}/pkgconfig"
                                              "${_hp_pkg_dir}/pkgconfig_compiled"
                                              "${_hp_pkg_dir}/pkgconfig_readme")
set_tests_properties(package_clean_consumers PROPERTIES LABELS package FIXTURES_SETUP
                                                        hyperparams_consumers_clean)

# Every mode with the header-only target and, when it is built, with the compiled library.
set(_hp_pkg_variants "")
if(TARGET hyperparams_compiled)
  set(_hp_pkg_variants COMPILED)
endif()

# add_subdirectory() needs no install.
foreach(_variant "" ${_hp_pkg_variants})
  hyperparams_package_test(add_subdirectory ${_variant}
                           OPTIONS "-DCONSUMER_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endforeach()

# The installed modes need the install rules (HYPERPARAMS_INSTALL, on in a top-level build).
if(HYPERPARAMS_INSTALL)
  add_test(NAME package_install
           COMMAND ${CMAKE_COMMAND} "-DBUILD_DIR=${CMAKE_BINARY_DIR}" "-DPREFIX=${_hp_pkg_prefix}"
                   "-DCONFIG=${_hp_pkg_config}" -P
                   "${CMAKE_CURRENT_SOURCE_DIR}/package/install_fresh.cmake")
  set_tests_properties(package_install PROPERTIES LABELS package FIXTURES_SETUP
                                                  hyperparams_installed)

  foreach(_variant "" ${_hp_pkg_variants})
    hyperparams_package_test(
      find_package ${_variant}
      OPTIONS "-DCMAKE_PREFIX_PATH=${_hp_pkg_prefix}" "-DCONSUMER_INSTALL_PREFIX=${_hp_pkg_prefix}"
      PROPERTIES FIXTURES_REQUIRED hyperparams_installed)
  endforeach()

  # Both .pc files are in <libdir>/pkgconfig, the one search path the README gives.
  foreach(_variant "" ${_hp_pkg_variants})
    hyperparams_package_test(
      pkgconfig ${_variant}
      OPTIONS "-DCONSUMER_INSTALL_PREFIX=${_hp_pkg_prefix}"
              "-DCONSUMER_PKGCONFIG_DIR=${_hp_pkg_prefix}/${CMAKE_INSTALL_LIBDIR}/pkgconfig"
      PROPERTIES FIXTURES_REQUIRED hyperparams_installed)
  endforeach()

  # The README's pkg-config snippet, run by sh as written (with the test's prefix).
  if(UNIX)
    if(TARGET hyperparams_compiled)
      set(_hp_pkg_readme_compiled ON)
    else()
      set(_hp_pkg_readme_compiled OFF)
    endif()
    add_test(NAME package_pkgconfig_readme
             COMMAND ${CMAKE_COMMAND} "-DREADME=${PROJECT_SOURCE_DIR}/README.md"
                     "-DPREFIX=${_hp_pkg_prefix}" "-DLIBDIR=${CMAKE_INSTALL_LIBDIR}"
                     "-DWORK_DIR=${_hp_pkg_dir}/pkgconfig_readme"
                     "-DCOMPILED=${_hp_pkg_readme_compiled}" -P
                     "${CMAKE_CURRENT_SOURCE_DIR}/package/readme_pkgconfig.cmake")
    set_tests_properties(
      package_pkgconfig_readme PROPERTIES LABELS package FIXTURES_REQUIRED
                                          "hyperparams_installed;hyperparams_consumers_clean")
  endif()
endif()
