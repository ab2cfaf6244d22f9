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

