# hparams report: unit tests of what it reads and draws (the SVG read back), the command on the
# fixtures in data/report, and its pages opened in a real browser where Chromium is installed
# (label "browser"; Debian: chromium python3-pil).
add_executable(hyperparams_report_tests report/test_report.cpp)
target_link_libraries(hyperparams_report_tests PRIVATE ${HYPERPARAMS_LINK_TARGET}
                                                       ${HYPERPARAMS_CATCH_MAIN})
target_compile_definitions(hyperparams_report_tests PRIVATE ${HYPERPARAMS_CATCH_DEFINE}
                                                           HYPERPARAMS_TEST_DATA="${HYPERPARAMS_TEST_DATA}")
target_include_directories(hyperparams_report_tests PRIVATE support)
hyperparams_warnings(hyperparams_report_tests)
catch_discover_tests(hyperparams_report_tests EXTRA_ARGS ${HYPERPARAMS_CATCH_ARGS} PROPERTIES
                     LABELS unit)

# hyperparams_browser_test(NAME HTML FIXTURE): headless Chromium loads HTML (made by the tests of
# FIXTURE) with no error and takes screenshots in light and dark mode that check_in_browser.py
# checks. Left out, with a message, where Chromium or Python's PIL is missing.
find_program(HYPERPARAMS_CHROMIUM NAMES chromium chromium-browser google-chrome)
set(HYPERPARAMS_BROWSER_PYTHON "")
find_program(_hp_path_python python3)
foreach(candidate /usr/bin/python3 ${_hp_path_python})
  if(NOT HYPERPARAMS_BROWSER_PYTHON AND EXISTS "${candidate}")
    execute_process(COMMAND "${candidate}" -c "import PIL" RESULT_VARIABLE _hp_rc OUTPUT_QUIET
                    ERROR_QUIET)
    if(_hp_rc EQUAL 0)
      set(HYPERPARAMS_BROWSER_PYTHON "${candidate}")
    endif()
  endif()
endforeach()
if(NOT HYPERPARAMS_CHROMIUM OR NOT HYPERPARAMS_BROWSER_PYTHON)
  message(STATUS "No Chromium or no Python with PIL (Debian: chromium python3-pil): the browser "
                 "tests of hparams report are left out")
endif()
set_property(GLOBAL PROPERTY HYPERPARAMS_BROWSER_PYTHON "${HYPERPARAMS_BROWSER_PYTHON}")
function(hyperparams_browser_test name html fixture)
  get_property(python GLOBAL PROPERTY HYPERPARAMS_BROWSER_PYTHON)
  if(NOT HYPERPARAMS_CHROMIUM OR NOT python)
    return()
  endif()
  add_test(NAME ${name} COMMAND ${python}
                                ${PROJECT_SOURCE_DIR}/tests/report/check_in_browser.py
                                ${HYPERPARAMS_CHROMIUM} ${html} ${CMAKE_CURRENT_BINARY_DIR}/screenshots)
  set_tests_properties(${name} PROPERTIES LABELS browser FIXTURES_REQUIRED ${fixture} TIMEOUT 300)
endfunction()

if(NOT TARGET hparams)
  return()
endif()
set(report_data "${CMAKE_CURRENT_SOURCE_DIR}/data/report")
set(report_out "${CMAKE_CURRENT_BINARY_DIR}/report")
file(MAKE_DIRECTORY "${report_out}/empty")

hparams_test(
  report_runs 0
  "report|${report_data}/runs/mlp_adam.jsonl|${report_data}/runs/mlp_sgd.jsonl|-o|${report_out}/runs.html"
  "-DEXPECT_STDERR=mlp_sgd.jsonl:7: not JSON .a line cut short.., skipped\nhparams: wrote .*runs.html .[0-9]+ KiB.\n$"
)
set_tests_properties(cli_report_runs PROPERTIES FIXTURES_SETUP report_runs)
hparams_test(report_sweep 0 "report|${report_data}/sweep|-o|${report_out}/sweep.html|--title|Fixture sweep"
             "-DEXPECT_STDERR=trial-000008.json: not a trial result: .*, skipped\n")
set_tests_properties(cli_report_sweep PROPERTIES FIXTURES_SETUP report_sweep)
hparams_test(report_to_stdout 0 "report|${report_data}/sweep|-o|-"
             "-DEXPECT_STDOUT=^<!DOCTYPE html>\n.*<h1>hyperparams report</h1>.*</html>\n$")
hparams_test(report_empty_directory 1 "report|${report_out}/empty|-o|${report_out}/empty.html"
             "-DEXPECT_STDERR=empty: no trial results .trial-..json. in this directory")
hparams_test(report_missing_file 1 "report|${report_data}/none.jsonl|-o|${report_out}/none.html"
             "-DEXPECT_STDERR=none.jsonl: cannot read this file")
hparams_test(report_directory_and_runs 1
             "report|${report_data}/sweep|${report_data}/runs/mlp_adam.jsonl|-o|${report_out}/x.html"
             "-DEXPECT_STDERR=a sweep directory is reported on its own")
hparams_test(report_unknown_metric 1 "report|${report_data}/sweep|--metric|acc|-o|${report_out}/x.html"
             "-DEXPECT_STDERR=no trial printed the metric \"acc\" .they print accuracy, epoch, loss.")
hparams_test(report_without_output 2 "report|${report_data}/sweep" "-DEXPECT_STDERR=--output is required")
hparams_test(report_bad_goal 2 "report|${report_data}/sweep|--goal|up|-o|x.html"
             "-DEXPECT_STDERR=--goal: up not in {maximize,minimize}")
hparams_test(report_bad_top 2 "report|${report_data}/sweep|--top|0|-o|x.html"
             "-DEXPECT_STDERR=--top: Value 0 not in range 1 to 100")

hyperparams_browser_test(report_runs_in_chromium ${report_out}/runs.html report_runs)
hyperparams_browser_test(report_sweep_in_chromium ${report_out}/sweep.html report_sweep)
