# The local sweep runner, <hyperparams/sweep.hpp>: unit tests with a fake trainer, and whole
# sweeps as processes (killed with SIGKILL and run again; two at once on one directory).
if(NOT (UNIX OR APPLE))
  return() # the runner needs fork and execvp
endif()

add_executable(hyperparams_fake_trainer search/fake_trainer.cpp)
target_link_libraries(hyperparams_fake_trainer PRIVATE nlohmann_json::nlohmann_json)
target_compile_features(hyperparams_fake_trainer PRIVATE cxx_std_17)
hyperparams_warnings(hyperparams_fake_trainer)

find_package(Threads REQUIRED)
add_executable(hyperparams_sweep_tests search/test_sweep_runner.cpp)
target_link_libraries(hyperparams_sweep_tests PRIVATE ${HYPERPARAMS_LINK_TARGET}
                                                      ${HYPERPARAMS_CATCH_MAIN} Threads::Threads)
target_compile_definitions(
  hyperparams_sweep_tests PRIVATE ${HYPERPARAMS_CATCH_DEFINE}
                                  HYPERPARAMS_FAKE_TRAINER="$<TARGET_FILE:hyperparams_fake_trainer>")
target_include_directories(hyperparams_sweep_tests PRIVATE support)
add_dependencies(hyperparams_sweep_tests hyperparams_fake_trainer)
hyperparams_warnings(hyperparams_sweep_tests)
catch_discover_tests(hyperparams_sweep_tests EXTRA_ARGS ${HYPERPARAMS_CATCH_ARGS} PROPERTIES
                     LABELS unit)

add_executable(hyperparams_sweep_driver search/sweep_driver.cpp)
target_link_libraries(hyperparams_sweep_driver PRIVATE ${HYPERPARAMS_LINK_TARGET})
hyperparams_warnings(hyperparams_sweep_driver)

foreach(mode sigkill shared)
  if(mode STREQUAL "sigkill")
    set(name sweep_resumes_after_sigkill)
  else()
    set(name sweep_two_processes_share_dir)
  endif()
  add_test(NAME ${name}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/search/sweep_runs.sh ${mode}
                   $<TARGET_FILE:hyperparams_sweep_driver> $<TARGET_FILE:hyperparams_fake_trainer>
                   ${CMAKE_CURRENT_BINARY_DIR}/${name})
  set_tests_properties(${name} PROPERTIES LABELS unit TIMEOUT 120)
endforeach()
