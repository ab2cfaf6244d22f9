# Search spaces (<hyperparams/search.hpp>): loading and checking (the fixtures of
# tests/data/search, each with its exact issues), the Philox streams, golden trials per method,
# grids, steps, bounds, and the same trials in any process and any order.
add_executable(hyperparams_search_tests search/test_search_space.cpp)
target_link_libraries(hyperparams_search_tests PRIVATE ${HYPERPARAMS_LINK_TARGET}
                                                       ${HYPERPARAMS_CATCH_MAIN})
target_compile_definitions(hyperparams_search_tests PRIVATE ${HYPERPARAMS_CATCH_DEFINE}
                                                            HYPERPARAMS_TEST_DATA="${HYPERPARAMS_TEST_DATA}")
target_include_directories(hyperparams_search_tests PRIVATE support ${CMAKE_CURRENT_SOURCE_DIR})
hyperparams_warnings(hyperparams_search_tests)
catch_discover_tests(hyperparams_search_tests EXTRA_ARGS ${HYPERPARAMS_CATCH_ARGS} PROPERTIES LABELS
                     unit)

# Trials [A, B) of a space file, one line each: two processes, and the reverse order, agree.
add_executable(hyperparams_print_trials search/print_trials.cpp)
target_link_libraries(hyperparams_print_trials PRIVATE ${HYPERPARAMS_LINK_TARGET})
hyperparams_warnings(hyperparams_print_trials)
add_test(NAME search_trials_same_across_processes_and_orders
         COMMAND ${CMAKE_COMMAND} -DPRINT_TRIALS=$<TARGET_FILE:hyperparams_print_trials>
                 -DSPACES=${HYPERPARAMS_TEST_DATA}/search/V01.json|${HYPERPARAMS_TEST_DATA}/search/V02.json|${HYPERPARAMS_TEST_DATA}/search/V03.json
                 -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/search_trials
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/search/same_trials.cmake)
set_tests_properties(search_trials_same_across_processes_and_orders PROPERTIES LABELS unit)
