# Sobol points (include/hyperparams/detail/sobol.hpp): the embedded Joe-Kuo table and the points
# themselves, against literal values and against SciPy's qmc.Sobol.
add_executable(hyperparams_sobol_tests search/test_sobol.cpp)
target_link_libraries(hyperparams_sobol_tests PRIVATE ${HYPERPARAMS_LINK_TARGET}
                                                      ${HYPERPARAMS_CATCH_MAIN})
target_compile_definitions(hyperparams_sobol_tests PRIVATE ${HYPERPARAMS_CATCH_DEFINE})
target_include_directories(hyperparams_sobol_tests PRIVATE support)
hyperparams_warnings(hyperparams_sobol_tests)
# "sobol/" before each test case's name, so that `ctest -R sobol` runs them all
catch_discover_tests(hyperparams_sobol_tests TEST_PREFIX "sobol/"
                     EXTRA_ARGS ${HYPERPARAMS_CATCH_ARGS} PROPERTIES LABELS unit)

add_executable(hyperparams_sobol_points search/sobol_points.cpp)
target_link_libraries(hyperparams_sobol_points PRIVATE ${HYPERPARAMS_LINK_TARGET})
hyperparams_warnings(hyperparams_sobol_points)

# SciPy's unscrambled 64-bit Sobol points, bit for bit: the first 2^8 points of 1024 dimensions
# and 2^14 of 20. Debian's python3-scipy serves /usr/bin/python3.
set(_hp_sobol_python "${HYPERPARAMS_PYTHON}")
if(NOT _hp_sobol_python AND EXISTS /usr/bin/python3)
  set(_hp_sobol_python /usr/bin/python3)
endif()
if(_hp_sobol_python)
  add_test(NAME sobol_agrees_with_scipy
           COMMAND ${_hp_sobol_python} ${CMAKE_CURRENT_SOURCE_DIR}/search/sobol_vs_scipy.py
                   --points-program $<TARGET_FILE:hyperparams_sobol_points> 1024:8 20:14)
  set_tests_properties(sobol_agrees_with_scipy PROPERTIES LABELS unit)
else()
  message(WARNING "No /usr/bin/python3 (with SciPy): the test sobol_agrees_with_scipy is left out")
endif()
