# install + export of the INTERFACE target, CMake config and version files, pkg-config file.
include(CMakePackageConfigHelpers)

set(HYPERPARAMS_CMAKE_DIR "${CMAKE_INSTALL_DATADIR}/cmake/hyperparams"
    CACHE STRING "Where the CMake package files are installed (relative to the prefix)")

install(
  TARGETS hyperparams
  EXPORT hyperparams-targets
  FILE_SET HEADERS
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(
  EXPORT hyperparams-targets
  NAMESPACE hyperparams::
  DESTINATION ${HYPERPARAMS_CMAKE_DIR})

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/hyperparams-config.cmake.in"
  "${PROJECT_BINARY_DIR}/hyperparams-config.cmake" INSTALL_DESTINATION ${HYPERPARAMS_CMAKE_DIR})

# A header-only library: any architecture, same major version.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/hyperparams-config-version.cmake" COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)

install(FILES "${PROJECT_BINARY_DIR}/hyperparams-config.cmake"
              "${PROJECT_BINARY_DIR}/hyperparams-config-version.cmake"
        DESTINATION ${HYPERPARAMS_CMAKE_DIR})

# pkg-config: the prefix is computed from the .pc file's own place, so the install relocates.
file(RELATIVE_PATH HYPERPARAMS_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_DATADIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" HYPERPARAMS_PC_TO_PREFIX "${HYPERPARAMS_PC_TO_PREFIX}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/hyperparams.pc.in"
               "${PROJECT_BINARY_DIR}/hyperparams.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/hyperparams.pc"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/pkgconfig")

# The optional libtorch adapter is not in the header set (the header check would need torch),
# but ships with the others for users who have libtorch.
install(FILES "${PROJECT_SOURCE_DIR}/include/hyperparams/torch.hpp"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/hyperparams")
