# hparams export --to optuna, then the Optuna driver on what it wrote: the commands a user runs.
#   -DHPARAMS=... -DPYTHON=... -DDRIVER=... -DTRAINER=... -DSPACE=... -DOUT=dir
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
execute_process(COMMAND "${HPARAMS}" export "${SPACE}" --to optuna OUTPUT_FILE "${OUT}/study.json"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "hparams export failed (${rc}): ${err}")
endif()
execute_process(COMMAND "${PYTHON}" "${DRIVER}" "${OUT}/study.json" --program "${HPARAMS}" --out
                        "${OUT}/runs" -- "${TRAINER}" {config}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the driver failed (${rc}):\n${out}\n${err}")
endif()
if(NOT out MATCHES "4 of 4 trials completed")
  message(FATAL_ERROR "expected 4 completed trials:\n${out}")
endif()
foreach(i 0 1 2 3)
  file(READ "${OUT}/runs/trial-000${i}.json" config)
  string(JSON name GET "${config}" optimizer name)
  string(JSON momentum ERROR_VARIABLE no_momentum GET "${config}" optimizer momentum)
  if(name STREQUAL "adam" AND no_momentum STREQUAL "NOTFOUND") # NOTFOUND: no error, it is there
    message(FATAL_ERROR "trial ${i}: adam with a momentum: ${config}")
  endif()
endforeach()
if(NOT EXISTS "${OUT}/runs/best.json")
  message(FATAL_ERROR "no best.json")
endif()

# --trial-index: Optuna walks one integer `trial` and each run is `hparams sample --trial`, so
# the study runs exactly the space's trials 0..3, each once.
execute_process(COMMAND "${HPARAMS}" export "${SPACE}" --to optuna --trial-index
                OUTPUT_FILE "${OUT}/study_trial_index.json" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "hparams export --trial-index failed (${rc}): ${err}")
endif()
execute_process(COMMAND "${PYTHON}" "${DRIVER}" "${OUT}/study_trial_index.json" --program
                        "${HPARAMS}" --out "${OUT}/runs_trial_index" -- "${TRAINER}" {config}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "4 of 4 trials completed")
  message(FATAL_ERROR "the driver failed in trial-index mode (${rc}):\n${out}\n${err}")
endif()
foreach(i 0 1 2 3)
  string(REGEX MATCHALL "trial=${i}\n" seen "${out}\n")
  list(LENGTH seen count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "trial ${i} ran ${count} times in trial-index mode:\n${out}")
  endif()
endforeach()
