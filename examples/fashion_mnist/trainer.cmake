# The interface target `fashion_mnist_trainer`: the trainer's headers with Eigen (a system
# include, so its warnings are not ours), zlib, OpenMP where found (Eigen then runs its matrix
# products on several threads), -O2 in Debug builds (the example and its tests train on real
# data and would be ten times slower unoptimised) and -march=native (Eigen's AVX2/AVX-512
# kernels: three times faster than the SSE2 baseline). Included by this directory and by
# tests/trainer (which CMake reads first); defines nothing when Eigen or zlib is missing.
find_package(Eigen3 3.3 QUIET NO_MODULE)
find_package(ZLIB QUIET)
find_package(OpenMP QUIET COMPONENTS CXX)
option(HYPERPARAMS_FASHION_MNIST_NATIVE
       "Build the Fashion-MNIST trainer for this machine's CPU only (-march=native)" ON)
if(HYPERPARAMS_FASHION_MNIST_NATIVE)
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag(-march=native HYPERPARAMS_HAVE_MARCH_NATIVE)
endif()

if(TARGET Eigen3::Eigen AND TARGET ZLIB::ZLIB AND NOT TARGET fashion_mnist_trainer)
  add_library(fashion_mnist_trainer INTERFACE)
  target_include_directories(fashion_mnist_trainer INTERFACE "${CMAKE_CURRENT_LIST_DIR}")
  target_link_libraries(fashion_mnist_trainer INTERFACE hyperparams::hyperparams Eigen3::Eigen
                                                        ZLIB::ZLIB)
  # not under ThreadSanitizer: libgomp is not instrumented, so TSan reports its barriers as races
  if(OpenMP_CXX_FOUND AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize=thread")
    target_link_libraries(fashion_mnist_trainer INTERFACE OpenMP::OpenMP_CXX)
  endif()
  if(NOT MSVC)
    target_compile_options(fashion_mnist_trainer INTERFACE $<$<CONFIG:Debug>:-O2>)
  endif()
  if(HYPERPARAMS_FASHION_MNIST_NATIVE AND HYPERPARAMS_HAVE_MARCH_NATIVE)
    # GCC 12 warns about its own AVX-512 intrinsics (PR 105593: '__Y' is used uninitialized),
    # which -Werror turns into errors; AVX2 runs this trainer as fast here, so it uses that.
    target_compile_options(
      fashion_mnist_trainer
      INTERFACE -march=native
                $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-mno-avx512f>)
  endif()
endif()
