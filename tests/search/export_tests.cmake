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

# The search commands of hparams on the example space: sample, and export with its warnings.
if(TARGET hparams)
  set(_hp_space ${PROJECT_SOURCE_DIR}/examples/sweep/space.json)
  add_test(NAME search_cli_sample_prints_a_trial
           COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hparams>
                   "-DARGS=sample|${_hp_space}|--trial|7" -DEXPECT_RC=0
                   "-DEXPECT_STDOUT=^{\n  \"learning_rate\": [0-9.e-]+,\n  \"batch_size\": (32|64|128),\n  \"epochs\": 2,"
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
  add_test(NAME search_cli_sample_past_the_end
           COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hparams>
                   "-DARGS=sample|${_hp_space}|--trial|8" -DEXPECT_RC=2
                   "-DEXPECT_STDERR=trial 8 of a space of 8 trials"
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
  add_test(NAME search_cli_sample_locates_issues
           COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hparams>
                   "-DARGS=sample|${HYPERPARAMS_TEST_DATA}/search/S02.json|--list" -DEXPECT_RC=1
                   "-DEXPECT_STDERR=S02\\.json:[0-9]+:[0-9]+: error: /method: unknown method"
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
  add_test(NAME search_cli_export_wandb_warns
           COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hparams>
                   "-DARGS=export|${_hp_space}|--to|wandb|--|fashion_mnist|{config}" -DEXPECT_RC=0
                   "-DEXPECT_STDOUT=\"method\": \"random\""
                   "-DEXPECT_STDERR=warning: .*\\[condition_dropped\\]"
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
  add_test(NAME search_cli_export_katib_needs_an_image
           COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hparams>
                   "-DARGS=export|${_hp_space}|--to|katib|--|fashion_mnist|{config}" -DEXPECT_RC=1
                   "-DEXPECT_STDERR=Katib needs a container image"
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
  add_test(NAME search_cli_sample_out_cannot_be_made
           COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hparams>
                   "-DARGS=sample|${_hp_space}|--out|${_hp_space}/trials" -DEXPECT_RC=1
                   "-DEXPECT_STDERR=hparams: .*cannot create director"
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
  add_test(NAME search_cli_sweep_trials_past_the_end
           COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hparams>
                   "-DARGS=sweep|${_hp_space}|--trials|5-8|--out|${CMAKE_CURRENT_BINARY_DIR}/never|--|true"
                   -DEXPECT_RC=2 "-DEXPECT_STDERR=--trials 5-8: expected A-B with A <= B < 8"
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
  if(UNIX)
    add_test(NAME search_cli_sweep_interrupted
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/search/cli_sweep_interrupted.sh
                     $<TARGET_FILE:hparams> ${CMAKE_CURRENT_SOURCE_DIR}/search/optuna_space.json
                     ${CMAKE_CURRENT_BINARY_DIR}/cli_sweep_interrupted)
    set_tests_properties(search_cli_sweep_interrupted PROPERTIES LABELS cli TIMEOUT 120)
  endif()
  set_tests_properties(search_cli_sample_prints_a_trial search_cli_sample_past_the_end
                       search_cli_sample_locates_issues search_cli_export_wandb_warns
                       search_cli_export_katib_needs_an_image
                       search_cli_sample_out_cannot_be_made search_cli_sweep_trials_past_the_end
                       PROPERTIES LABELS cli)
endif()
if(TARGET hparams)
  add_test(NAME search_cli_export_optuna_then_driver
           COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hparams> -DPYTHON=${HYPERPARAMS_PYTHON}
                   -DDRIVER=${PROJECT_SOURCE_DIR}/tools/hparams_optuna.py
                   -DTRAINER=$<TARGET_FILE:hyperparams_toy_trainer>
                   -DSPACE=${CMAKE_CURRENT_SOURCE_DIR}/search/optuna_space.json
                   -DOUT=${CMAKE_CURRENT_BINARY_DIR}/cli_optuna -P
                   ${CMAKE_CURRENT_SOURCE_DIR}/search/cli_optuna.cmake)
  set_tests_properties(search_cli_export_optuna_then_driver PROPERTIES LABELS cli)
endif()
