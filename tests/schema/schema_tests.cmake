# The JSON Schema: the committed copy is what `hparams schema` prints, and an independent
# validator (Python's jsonschema) agrees with the library on every fixture.
add_test(NAME schema_file_is_current
         COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hparams> -DARGS=schema -DEXPECT_RC=0
                 -DEXPECT_STDOUT_FILE=${PROJECT_SOURCE_DIR}/schema/hyperparams.schema.json -P
                 ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
set_tests_properties(schema_file_is_current PROPERTIES LABELS schema)

option(HYPERPARAMS_SCHEMA_TESTS
       "Check the schema, Sobol points, exports and the Optuna driver with Python" ON)
if(HYPERPARAMS_SCHEMA_TESTS)
  # Debian's python3-jsonschema, python3-scipy and python3-optuna serve /usr/bin/python3; another
  # python3 on PATH may lack them.
  set(HYPERPARAMS_PYTHON "")
  find_program(_hp_path_python python3)
  foreach(candidate /usr/bin/python3 ${_hp_path_python})
    if(NOT HYPERPARAMS_PYTHON AND EXISTS "${candidate}")
      execute_process(COMMAND "${candidate}" -c "import jsonschema, scipy, optuna" RESULT_VARIABLE _hp_rc
                      OUTPUT_QUIET ERROR_QUIET)
      if(_hp_rc EQUAL 0)
        set(HYPERPARAMS_PYTHON "${candidate}")
      endif()
    endif()
  endforeach()
  if(NOT HYPERPARAMS_PYTHON)
    message(FATAL_ERROR "The Python tests need Python 3 with jsonschema, scipy and optuna (Debian:"
                        " python3-jsonschema python3-scipy python3-optuna); or configure with"
                        " -DHYPERPARAMS_SCHEMA_TESTS=OFF")
  endif()
  file(GLOB _hp_schema_fixtures CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/corpus/*.json
       ${CMAKE_CURRENT_SOURCE_DIR}/data/schema/*.json ${PROJECT_SOURCE_DIR}/examples/configs/*.json)
  add_test(NAME schema_agrees_with_library
           COMMAND ${HYPERPARAMS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/schema/check_agreement.py
                   --hparams $<TARGET_FILE:hparams> --all-fixtures
                   ${_hp_schema_fixtures})
  set_tests_properties(schema_agrees_with_library PROPERTIES LABELS schema)
endif()
