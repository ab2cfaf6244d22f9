# The hparams command on good and bad files: exit status and output.
set(configs "${PROJECT_SOURCE_DIR}/examples/configs")
set(corpus "${CMAKE_CURRENT_SOURCE_DIR}/data/corpus")

function(hparams_test name expected_rc args)
  add_test(NAME cli_${name}
           COMMAND ${CMAKE_COMMAND} -DHPARAMS=$<TARGET_FILE:hparams> "-DARGS=${args}"
                   -DEXPECT_RC=${expected_rc} ${ARGN} -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli.cmake)
  set_tests_properties(cli_${name} PROPERTIES LABELS cli)
endfunction()

hparams_test(version 0 "--version" "-DEXPECT_STDOUT=^hparams [0-9]+\\.[0-9]+\\.[0-9]+\n$")
hparams_test(help 0 "--help" "-DEXPECT_STDOUT=validate.*show.*defaults.*schema.*diff.*fingerprint")
hparams_test(show_help_lists_keys 0 "show|--help"
             "-DEXPECT_STDOUT=learning_rate +Step size.*sgd: momentum dampening nesterov")
# Unquoted, a shell expands neurons=[256,128] (a glob) and optimizer={...} (braces): the
# examples in the help are quoted.
hparams_test(show_help_quotes_json_values 0 "show|--help"
             "-DEXPECT_STDOUT= 'neurons=\\[256,128\\]' 'optimizer={\"name\":\"sgd\",\"momentum\":0\\.9}'\n")
hparams_test(fingerprint_help_quotes_json_values 0 "fingerprint|--help"
             "-DEXPECT_STDOUT= 'neurons=\\[256,128\\]' ")
hparams_test(no_subcommand 2 "" "-DEXPECT_STDERR=subcommand is required")
hparams_test(unknown_subcommand 2 "train" "-DEXPECT_STDERR=unknown command \"train\"")
hparams_test(validate_without_files 2 "validate" "-DEXPECT_STDERR=files is required")
hparams_test(validate_bad_format 2 "validate|--format|xml|${configs}/seed_cnn.json")

hparams_test(validate_good 0 "validate|${configs}/seed_cnn.json|${configs}/sgd_nesterov.json"
             "-DEXPECT_STDOUT=seed_cnn.json: ok\n.*sgd_nesterov.json: ok\n")
hparams_test(
  validate_bad 1 "validate|${configs}/seed_cnn.json|${configs}/broken.json"
  "-DEXPECT_STDOUT=broken.json:2:20: error: /learning_rate: must be > 0, got 0 \\[out_of_range\\]\n.*broken.json:9:3: error: /activaton: unknown key \"activaton\"; did you mean \"activation\"\\? \\[unknown_key\\]"
)
hparams_test(validate_json 1 "validate|--format|json|${configs}/broken.json"
             -DEXPECT_JSON_LENGTH=5 "-DEXPECT_STDOUT=\"code\": \"type_error\"")
hparams_test(validate_json_valid 0 "validate|--format|json|${configs}/seed_cnn.json"
             -DEXPECT_JSON_LENGTH=0)
hparams_test(validate_stdin 0 "validate|-" -DSTDIN=${configs}/seed_cnn.json
             "-DEXPECT_STDOUT=^<stdin>: ok\n$")
hparams_test(validate_stdin_bad 1 "validate|-" -DSTDIN=${corpus}/P02.json
             "-DEXPECT_STDOUT=^<stdin>:3:3: error: syntax error")
hparams_test(validate_missing_file 1 "validate|${configs}/no_such.json"
             "-DEXPECT_STDOUT=no_such.json: error: cannot read .*no such file \\[io_error\\]")
hparams_test(validate_directory 1 "validate|${configs}" "-DEXPECT_STDOUT=is a directory \\[io_error\\]")
hparams_test(validate_pointer 0 "validate|--pointer|/train|${configs}/experiment.json")
hparams_test(validate_pointer_paths_absolute 1 "validate|--pointer|/data|${configs}/experiment.json"
             "-DEXPECT_STDOUT=experiment.json:3:13: error: /data/dir: unknown key")

hparams_test(show 0 "show|${configs}/seed_cnn.json|optimizer.momentum=0.9|optimizer=sgd|neurons=[1,2,3,4,5]"
             "-DEXPECT_STDOUT=\"name\": \"sgd\",\n    \"momentum\": 0.9,.*\"neurons\": \\[\n    1,")
hparams_test(show_canonical 0 "show|${configs}/seed_cnn.json"
             -DEXPECT_STDOUT_FILE=${CMAKE_CURRENT_SOURCE_DIR}/data/seed_cnn.canonical.json)
hparams_test(show_bad_override 1 "show|${configs}/seed_cnn.json|optimizr=sgd|dropout=2"
             "-DEXPECT_STDERR=override 1 \"optimizr=sgd\": unknown key \"optimizr\"; did you mean \"optimizer\"\\?.*override 2 \"dropout=2\": must be in \\[0, 1\\), got 2"
             -DEXPECT_STDOUT_EMPTY=ON)
hparams_test(show_invalid_file 1 "show|${configs}/broken.json" "-DEXPECT_STDERR=broken.json:8:14: error: /dropout"
             -DEXPECT_STDOUT_EMPTY=ON)
# Configs that build on each other ("$extends", several files, --origin, --root).
set(compose "${CMAKE_CURRENT_SOURCE_DIR}/data/compose")
hparams_test(show_origin 0 "show|--origin|seed_cnn_sgd.json|epochs=3" -DWORKING_DIRECTORY=${configs}
             -DEXPECT_STDOUT_FILE=${CMAKE_CURRENT_SOURCE_DIR}/data/compose/show_origin.txt)
hparams_test(show_extends 0 "show|${configs}/seed_cnn_sgd.json"
             "-DEXPECT_STDOUT=\"learning_rate\": 0.05,.*\"epochs\": 30,.*\"nesterov\": true,.*\"layers\": 5,")
hparams_test(show_several_files 0 "show|${configs}/seed_cnn.json|${configs}/sgd_nesterov.json|epochs=2"
             "-DEXPECT_STDOUT=\"epochs\": 2,.*\"name\": \"sgd\",.*\"layers\": 3,")
hparams_test(show_only_overrides 2 "show|epochs=3" "-DEXPECT_STDERR=a config file is required")
hparams_test(show_issue_in_base 1 "show|${compose}/configs/typo.json"
             "-DEXPECT_STDERR=configs/base.json:2:14: error: /dropout: must be in .0, 1.*configs/typo.json:3:3: error: /lerning_rate: unknown key"
             -DEXPECT_STDOUT_EMPTY=ON)
hparams_test(validate_json_names_the_base 1 "validate|--format|json|${compose}/configs/typo.json"
             "-DEXPECT_STDOUT=\"file\": \"[^\"]*configs/base.json\",\n    \"line\": 2,")
hparams_test(show_base_outside_root 1 "show|${compose}/configs/up.json"
             "-DEXPECT_STDERR=up.json:2:15: error: /\\$extends: the base \"../common/base.json\" is outside")
hparams_test(show_root_widens 0 "show|--root|${compose}|${compose}/configs/up.json"
             "-DEXPECT_STDOUT=\"epochs\": 2,.*\"dropout\": 0.5,.*\"seed\": 7")
hparams_test(fingerprint_several_files 0 "fingerprint|${configs}/seed_cnn.json|${configs}/seed_cnn_sgd.json"
             "-DEXPECT_STDOUT=^[0-9a-f]+\n$")
hparams_test(diff_resolves_bases 1 "diff|${configs}/seed_cnn.json|${configs}/seed_cnn_sgd.json"
             "-DEXPECT_STDOUT=/learning_rate: 0.001 -> 0.05\n")

hparams_test(defaults 0 "defaults" "-DEXPECT_STDOUT=^{\n  \"learning_rate\": 0.001,.*\"seed\": 42\n}\n$")
hparams_test(schema 0 "schema" "-DEXPECT_STDOUT=\"\\$schema\": \"https://json-schema.org/draft/2020-12/schema\"")
hparams_test(diff_equal 0 "diff|${configs}/seed_cnn.json|${CMAKE_CURRENT_SOURCE_DIR}/data/seed_cnn.canonical.json"
             -DEXPECT_STDOUT_EMPTY=ON)
hparams_test(diff_different 1 "diff|${configs}/seed_cnn.json|${configs}/sgd_nesterov.json"
             "-DEXPECT_STDOUT=^/learning_rate: 0.001 -> 0.05\n/batch_size: 64 -> 128\n/epochs: 20 -> 30\n/optimizer/name: \"adam\" -> \"sgd\"\n/optimizer/beta1: 0.9 -> \\(absent\\)")
# An invalid or missing file is exit 1 (as the README and --help say), not a usage error.
hparams_test(diff_invalid 1 "diff|${configs}/seed_cnn.json|${configs}/broken.json"
             "-DEXPECT_STDERR=broken.json:2:20: error: /learning_rate: must be > 0" -DEXPECT_STDOUT_EMPTY=ON)
hparams_test(diff_missing_file 1 "diff|${configs}/no_such.json|${configs}/seed_cnn.json"
             "-DEXPECT_STDERR=no_such.json: error: cannot read .*no such file \\[io_error\\]"
             -DEXPECT_STDOUT_EMPTY=ON)
# The fingerprint is SHA-256 of the canonical text: fixed across platforms and releases that
# keep the format. A change here means every saved run id changes.
hparams_test(fingerprint 0 "fingerprint|${configs}/seed_cnn.json" "-DEXPECT_STDOUT=^87759628c7094958\n$")
hparams_test(fingerprint_equal_configs 0 "fingerprint|-" -DSTDIN=${CMAKE_CURRENT_SOURCE_DIR}/data/seed_cnn.canonical.json
             "-DEXPECT_STDOUT=^87759628c7094958\n$")
hparams_test(fingerprint_invalid_file 1 "fingerprint|${configs}/broken.json"
             "-DEXPECT_STDERR=broken.json:8:14: error: /dropout" -DEXPECT_STDOUT_EMPTY=ON)
hparams_test(fingerprint_overrides 0 "fingerprint|${configs}/seed_cnn.json|epochs=21"
             "-DEXPECT_STDOUT=^a2443f01cf233ce2\n$")

# A write to standard output that fails (here: a full disk) is an error, never a silent success;
# diff's exit status is 1 either way, its message tells.
if(EXISTS /dev/full)
  set(_hp_full "-DSTDOUT_FILE=/dev/full"
               "-DEXPECT_STDERR=^hparams: cannot write to standard output: No space left on device\n$")
  hparams_test(validate_full_disk 1 "validate|${configs}/seed_cnn.json" ${_hp_full})
  hparams_test(validate_json_full_disk 1 "validate|--format|json|${configs}/seed_cnn.json" ${_hp_full})
  hparams_test(show_full_disk 1 "show|${configs}/seed_cnn.json" ${_hp_full})
  hparams_test(defaults_full_disk 1 "defaults" ${_hp_full})
  hparams_test(schema_full_disk 1 "schema" ${_hp_full})
  hparams_test(diff_full_disk 1 "diff|${configs}/seed_cnn.json|${configs}/sgd_nesterov.json" ${_hp_full})
  hparams_test(fingerprint_full_disk 1 "fingerprint|${configs}/seed_cnn.json" ${_hp_full})
  hparams_test(help_full_disk 1 "--help" ${_hp_full})
  hparams_test(show_help_full_disk 1 "show|--help" ${_hp_full})
  hparams_test(version_full_disk 1 "--version" ${_hp_full})
endif()

# The README's quick start validates the example configs: its `build/dev/tools/hparams validate`
# commands run here as written, from the source directory (globs expanded as the shell would),
# so that the README cannot drift from the files again. A command that the README shows failing
# (its block is followed by an output block with ": error: ") must exit 1 and print that block's
# first line; every other one must exit 0, and the first one must be of those.
set(_hp_readme_file "${PROJECT_SOURCE_DIR}/README.md")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_hp_readme_file}")
file(READ "${_hp_readme_file}" _hp_readme)
string(FIND "${_hp_readme}" "\n## Quick start\n" _hp_start)
set(_hp_quick "")
if(_hp_start GREATER_EQUAL 0)
  math(EXPR _hp_start "${_hp_start} + 1")
  string(SUBSTRING "${_hp_readme}" ${_hp_start} -1 _hp_quick)
  string(FIND "${_hp_quick}" "\n## " _hp_end)
  string(SUBSTRING "${_hp_quick}" 0 ${_hp_end} _hp_quick)
endif()
string(REGEX MATCHALL "\nbuild/dev/tools/hparams validate [^\n]*" _hp_commands "${_hp_quick}")
set(_hp_index 0)
set(_hp_first_succeeds OFF)
foreach(_hp_command IN LISTS _hp_commands)
  math(EXPR _hp_index "${_hp_index} + 1")
  string(REGEX REPLACE "^\nbuild/dev/tools/hparams " "" _hp_words "${_hp_command}")
  string(REGEX REPLACE " +" ";" _hp_words "${_hp_words}")
  set(_hp_args "")
  foreach(_hp_word IN LISTS _hp_words)
    if(_hp_word MATCHES "[*?]")
      file(GLOB _hp_matches RELATIVE "${PROJECT_SOURCE_DIR}" "${PROJECT_SOURCE_DIR}/${_hp_word}")
      list(SORT _hp_matches)
      list(APPEND _hp_args ${_hp_matches})
    else()
      list(APPEND _hp_args "${_hp_word}")
    endif()
  endforeach()
  list(JOIN _hp_args "|" _hp_args)
  set(_hp_checks "-DWORKING_DIRECTORY=${PROJECT_SOURCE_DIR}")
  set(_hp_rc 0)
  string(FIND "${_hp_quick}" "${_hp_command}\n```\n```\n" _hp_at)
  if(_hp_at GREATER_EQUAL 0)
    string(SUBSTRING "${_hp_quick}" ${_hp_at} -1 _hp_after)
    string(REGEX MATCH "^\n[^\n]*\n```\n```\n([^\n]+)" _hp_ignored "${_hp_after}")
    set(_hp_line "${CMAKE_MATCH_1}") # if(MATCHES) below overwrites CMAKE_MATCH_1
    if(_hp_line MATCHES ": error: ")
      set(_hp_rc 1)
      string(REGEX REPLACE "([][\\\\.*+?^$(){}|])" "\\\\\\1" _hp_line "${_hp_line}")
      list(APPEND _hp_checks "-DEXPECT_STDOUT=${_hp_line}")
    endif()
  endif()
  if(_hp_index EQUAL 1 AND _hp_rc EQUAL 0)
    set(_hp_first_succeeds ON)
  endif()
  hparams_test(readme_quick_start_${_hp_index} ${_hp_rc} "${_hp_args}" ${_hp_checks})
endforeach()
if(NOT _hp_first_succeeds)
  message(WARNING "README.md: the quick start's first `build/dev/tools/hparams validate` is not "
                  "one that succeeds")
  add_test(NAME cli_readme_quick_start COMMAND ${CMAKE_COMMAND} -E false)
  set_tests_properties(cli_readme_quick_start PROPERTIES LABELS cli)
endif()
