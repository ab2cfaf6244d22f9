# A user's own struct through the command line and the schema (tests/user): `cli::main` for it,
# Python's jsonschema against the library on its fixtures, and a member type that cannot be
# described failing to compile with a message that says why.
find_package(CLI11 2.1 REQUIRED)
add_executable(hyperparams_user_cli user/run_cli.cpp)
target_link_libraries(hyperparams_user_cli PRIVATE ${HYPERPARAMS_LINK_TARGET} CLI11::CLI11)
hyperparams_warnings(hyperparams_user_cli)

add_test(NAME user_cli_show_help_lists_nested_keys
         COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hyperparams_user_cli> -DARGS=show|--help
                 -DEXPECT_RC=0
                 "-DEXPECT_STDOUT=  name +Name of the run\\.\n +a string; required\n.*  train\\.learning_rate +Step size.*  model\\.blocks .*Options of each train\\.optimizer"
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
add_test(NAME user_cli_validate_locates_nested_issues
         COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hyperparams_user_cli>
                 -DARGS=validate|${CMAKE_CURRENT_SOURCE_DIR}/data/user/U13.json -DEXPECT_RC=1
                 "-DEXPECT_STDOUT=U13\\.json:2:39: error: /model/blocks/1/kernel/0: must be in \\[1, 15\\], got 0 \\[out_of_range\\]"
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
add_test(NAME user_cli_show_applies_nested_overrides
         COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hyperparams_user_cli>
                 "-DARGS=show|${CMAKE_CURRENT_SOURCE_DIR}/data/user/U01.json|losses.kl.weight=0.5|train.optimizer=sgd"
                 -DEXPECT_RC=0
                 "-DEXPECT_STDOUT=\"name\": \"sgd\".*\"kl\": {\n +\"weight\": 0\\.5"
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
set_tests_properties(user_cli_show_help_lists_nested_keys user_cli_validate_locates_nested_issues
                     user_cli_show_applies_nested_overrides PROPERTIES LABELS cli)

if(HYPERPARAMS_SCHEMA_TESTS)
  file(GLOB _hp_user_fixtures CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/user/*.json)
  add_test(NAME schema_agrees_with_library_user_struct
           COMMAND ${HYPERPARAMS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/schema/check_agreement.py
                   --hparams $<TARGET_FILE:hyperparams_user_cli> --profile user --all-fixtures
                   ${_hp_user_fixtures})
  set_tests_properties(schema_agrees_with_library_user_struct PROPERTIES LABELS schema)
endif()

add_test(NAME undescribed_member_is_a_compile_error
         COMMAND ${CMAKE_CXX_COMPILER} -std=c++17 -fsyntax-only -I${PROJECT_SOURCE_DIR}/include
                 ${CMAKE_CURRENT_SOURCE_DIR}/user/undescribed_member.cpp)
set_tests_properties(undescribed_member_is_a_compile_error PROPERTIES
                     PASS_REGULAR_EXPRESSION "no description for this member type" LABELS unit)
