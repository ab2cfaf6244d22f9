# libtorch for <hyperparams/torch.hpp>'s example and tests (tests/torch, read first, and this
# directory both include this file). Sets, in the including directory:
#   HYPERPARAMS_TORCH_FOUND       libtorch found (and HYPERPARAMS_WITH_TORCH is ON)
#   HYPERPARAMS_TORCH_DATA_FOUND  also Eigen and zlib, for examples/fashion_mnist/idx.hpp
# and defines hyperparams_use_torch(TARGET [DATA]), which links a target to hyperparams and
# libtorch (with DATA: also to the IDX reader). The core library never depends on torch.
#
# - find_package(Torch) runs in every directory that includes this file: its imported targets
#   are local to a directory, and `torch_library` refers to `torch` and `torch_cpu` through
#   generator expressions that are evaluated where a target links them.
# - libtorch's headers reach our targets as system headers (`torch` is an imported target, so
#   CMake passes its include directories with -isystem): our -Wall -Wextra -Wpedantic -Wshadow
#   -Wconversion -Wsign-conversion (and -Werror) apply to our code only.
# - TORCH_CXX_FLAGS is "-D_GLIBCXX_USE_CXX11_ABI=1" on Linux and is already the
#   INTERFACE_COMPILE_OPTIONS of `torch`, so the targets that link it get it and nothing else
#   does. Debian's libtorch is built with this new libstdc++ ABI, the default of GCC and of clang
#   with libstdc++: it matches. pytorch.org's "pre-cxx11 ABI" archives say =0 there: the example
#   then builds with the old ABI, but the tests would mix it with the Catch2 main compiled with
#   the new one; use the archives "with cxx11 ABI".
# - Sanitizers: the example and tests pass under ASan + UBSan (the "asan" preset; libtorch itself
#   is not instrumented: ASan checks our code's accesses, and every malloc and free) and under
#   ThreadSanitizer (the "tsan" preset) as long as libtorch runs its kernels on one thread: the
#   tests call torch::set_num_threads(1) and the example's ctest runs pass --threads 1. With two
#   threads TSan reports libgomp's (OpenMP) hand-offs as data races (a memcpy in a worker thread
#   against the main thread's write): libtorch and libgomp are not instrumented, so TSan cannot
#   see their synchronisation. Set HYPERPARAMS_WITH_TORCH=OFF to leave them out.
option(HYPERPARAMS_WITH_TORCH "Build the libtorch adapter's example and tests when libtorch is found"
       ON)

set(HYPERPARAMS_TORCH_FOUND OFF)
set(HYPERPARAMS_TORCH_DATA_FOUND OFF)

# Each message once, though two directories include this file.
function(_hyperparams_torch_status)
  get_property(said GLOBAL PROPERTY _hyperparams_torch_said)
  if(NOT said)
    set_property(GLOBAL PROPERTY _hyperparams_torch_said ON)
    string(JOIN "" text ${ARGV})
    message(STATUS "${text}")
  endif()
endfunction()

if(NOT HYPERPARAMS_WITH_TORCH)
  _hyperparams_torch_status("libtorch adapter (example, tests) not built: HYPERPARAMS_WITH_TORCH is OFF")
  return()
endif()

# Caffe2's config, which Torch's loads, prints four STATUS lines even when QUIET.
set(_hyperparams_log_level "${CMAKE_MESSAGE_LOG_LEVEL}")
set(CMAKE_MESSAGE_LOG_LEVEL NOTICE)
find_package(Torch QUIET)
set(CMAKE_MESSAGE_LOG_LEVEL "${_hyperparams_log_level}")
if(NOT TORCH_FOUND)
  _hyperparams_torch_status("libtorch adapter (example, tests) not built: libtorch not found "
                            "(apt-get install libtorch-dev, or -DCMAKE_PREFIX_PATH=/path/to/libtorch)")
  return()
endif()
_hyperparams_torch_status("libtorch adapter: libtorch ${Torch_VERSION} (${TORCH_INSTALL_PREFIX})")
set(HYPERPARAMS_TORCH_FOUND ON)

find_package(Eigen3 3.3 QUIET NO_MODULE)
find_package(ZLIB QUIET)
if(TARGET Eigen3::Eigen AND TARGET ZLIB::ZLIB)
  set(HYPERPARAMS_TORCH_DATA_FOUND ON)
endif()

function(hyperparams_use_torch target)
  target_link_libraries(${target} PRIVATE hyperparams::hyperparams ${TORCH_LIBRARIES})
  target_compile_features(${target} PRIVATE cxx_std_17)
  if("DATA" IN_LIST ARGN)
    target_include_directories(${target} PRIVATE "${PROJECT_SOURCE_DIR}/examples/fashion_mnist")
    target_link_libraries(${target} PRIVATE Eigen3::Eigen ZLIB::ZLIB)
    target_compile_definitions(${target} PRIVATE HYPERPARAMS_TORCH_HAVE_IDX=1)
  endif()
  hyperparams_warnings(${target})
endfunction()
