# install + export of the INTERFACE target and the compiled library, CMake config and version
# files, pkg-config files.
include(CMakePackageConfigHelpers)

set(HYPERPARAMS_CMAKE_DIR "${CMAKE_INSTALL_DATADIR}/cmake/hyperparams"
    CACHE STRING "Where the CMake package files are installed (relative to the prefix)")

install(
  TARGETS hyperparams
  EXPORT hyperparams-targets
  FILE_SET HEADERS
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET hyperparams_compiled)
  install(
    TARGETS hyperparams_compiled
    EXPORT hyperparams-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()

install(
  EXPORT hyperparams-targets
  NAMESPACE hyperparams::
  DESTINATION ${HYPERPARAMS_CMAKE_DIR})

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/hyperparams-config.cmake.in"
  "${PROJECT_BINARY_DIR}/hyperparams-config.cmake" INSTALL_DESTINATION ${HYPERPARAMS_CMAKE_DIR})

# Same major version; any architecture unless the compiled library is installed too.
if(TARGET hyperparams_compiled)
  set(_hp_arch_independent "")
else()
  set(_hp_arch_independent ARCH_INDEPENDENT)
endif()
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/hyperparams-config-version.cmake" COMPATIBILITY SameMajorVersion
  ${_hp_arch_independent})

install(FILES "${PROJECT_BINARY_DIR}/hyperparams-config.cmake"
              "${PROJECT_BINARY_DIR}/hyperparams-config-version.cmake"
        DESTINATION ${HYPERPARAMS_CMAKE_DIR})

# pkg-config: both .pc files go to <libdir>/pkgconfig, so that one PKG_CONFIG_PATH finds either
# (hyperparams-compiled.pc names the architecture-specific library, so it belongs in libdir; the
# header-only hyperparams.pc is as well found there, and pkg-config's default path has both
# lib/pkgconfig and share/pkgconfig). The prefix is computed from the .pc file's own place, so
# the install relocates.
set(_hp_pc_dir "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
file(RELATIVE_PATH HYPERPARAMS_PC_TO_PREFIX "/prefix/${_hp_pc_dir}" "/prefix")
string(REGEX REPLACE "/$" "" HYPERPARAMS_PC_TO_PREFIX "${HYPERPARAMS_PC_TO_PREFIX}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/hyperparams.pc.in"
               "${PROJECT_BINARY_DIR}/hyperparams.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/hyperparams.pc" DESTINATION "${_hp_pc_dir}")
if(TARGET hyperparams_compiled)
  configure_file("${PROJECT_SOURCE_DIR}/cmake/hyperparams-compiled.pc.in"
                 "${PROJECT_BINARY_DIR}/hyperparams-compiled.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/hyperparams-compiled.pc" DESTINATION "${_hp_pc_dir}")
endif()

# The optional libtorch adapter, the CLI11 command line and the search headers (Random123) are not in the header set (the header check would need them), but ship
# with the others for users who have them.
install(FILES "${PROJECT_SOURCE_DIR}/include/hyperparams/torch.hpp"
              "${PROJECT_SOURCE_DIR}/include/hyperparams/cli.hpp"
              "${PROJECT_SOURCE_DIR}/include/hyperparams/search.hpp"
              "${PROJECT_SOURCE_DIR}/include/hyperparams/search_export.hpp"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/hyperparams")
install(FILES "${PROJECT_SOURCE_DIR}/include/hyperparams/impl/cli_search.hpp"
              "${PROJECT_SOURCE_DIR}/include/hyperparams/impl/search.hpp"
              "${PROJECT_SOURCE_DIR}/include/hyperparams/impl/search_export.hpp"
              "${PROJECT_SOURCE_DIR}/include/hyperparams/impl/search_sample.hpp"
              "${PROJECT_SOURCE_DIR}/include/hyperparams/impl/search_space.hpp"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/hyperparams/impl")

# The Optuna driver for `hparams export --to optuna` (Python 3 and Debian's python3-optuna).
install(PROGRAMS "${PROJECT_SOURCE_DIR}/tools/hparams_optuna.py"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/hyperparams")
