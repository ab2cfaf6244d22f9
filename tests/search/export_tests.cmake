# Exports of search spaces (W&B, Katib, Optuna): the documents validate against the engines'
# published schemas and Katib's webhook rules, the mapping's exact documents and warnings, and the
# Optuna driver end to end.
set(_hp_search_dir ${CMAKE_CURRENT_SOURCE_DIR}/search)

if(NOT HYPERPARAMS_PYTHON)
  set(HYPERPARAMS_PYTHON /usr/bin/python3)
endif()

add_executable(hyperparams_export_spaces search/export_spaces.cpp)
target_link_libraries(hyperparams_export_spaces PRIVATE ${HYPERPARAMS_LINK_TARGET})
hyperparams_warnings(hyperparams_export_spaces)

add_test(NAME exports_valid_against_published_schemas
         COMMAND ${HYPERPARAMS_PYTHON} ${_hp_search_dir}/check_exports.py
                 --export-spaces $<TARGET_FILE:hyperparams_export_spaces>
                 --schemas ${_hp_search_dir}/schemas --out ${CMAKE_CURRENT_BINARY_DIR}/exports)
set_tests_properties(exports_valid_against_published_schemas PROPERTIES LABELS unit)

add_executable(hyperparams_search_export_tests search/test_search_export.cpp)
target_link_libraries(hyperparams_search_export_tests PRIVATE ${HYPERPARAMS_LINK_TARGET}
                                                              ${HYPERPARAMS_CATCH_MAIN})
target_compile_definitions(hyperparams_search_export_tests PRIVATE ${HYPERPARAMS_CATCH_DEFINE})
target_include_directories(hyperparams_search_export_tests PRIVATE support)
hyperparams_warnings(hyperparams_search_export_tests)
catch_discover_tests(hyperparams_search_export_tests EXTRA_ARGS ${HYPERPARAMS_CATCH_ARGS}
                     PROPERTIES LABELS unit)

# A toy trainer for the Optuna driver: toy_trainer CONFIG [key=value...] prints score=...
add_executable(hyperparams_toy_trainer search/toy_trainer.cpp)
target_link_libraries(hyperparams_toy_trainer PRIVATE ${HYPERPARAMS_LINK_TARGET})
hyperparams_warnings(hyperparams_toy_trainer)

if(TARGET hparams)
  add_test(NAME optuna_driver_end_to_end
           COMMAND ${HYPERPARAMS_PYTHON} ${_hp_search_dir}/check_optuna_driver.py
                   --driver ${PROJECT_SOURCE_DIR}/tools/hparams_optuna.py
                   --export-spaces $<TARGET_FILE:hyperparams_export_spaces>
                   --hparams $<TARGET_FILE:hparams>
                   --trainer $<TARGET_FILE:hyperparams_toy_trainer>
                   --out ${CMAKE_CURRENT_BINARY_DIR}/optuna_driver)
  set_tests_properties(optuna_driver_end_to_end PROPERTIES LABELS unit REQUIRED_FILES
                                                           $<TARGET_FILE:hparams>)
endif()
