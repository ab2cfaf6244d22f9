# Warnings for the project's own targets (never on the interface target users link).
# Whether they are errors is CMAKE_COMPILE_WARNING_AS_ERROR's business (set by CI presets).
function(hyperparams_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                             -Wsign-conversion)
  endif()
endfunction()
