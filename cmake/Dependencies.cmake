# Every dependency comes from Debian's packages (scripts/setup.sh installs them).
# An official LibTorch (CPU or CUDA) works too: point Torch_DIR or CMAKE_PREFIX_PATH at it.
find_package(Torch REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs ml)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.9 REQUIRED)
find_package(spdlog REQUIRED)
find_package(JPEG REQUIRED)  # libjpeg and zlib: the integrity checks of image files (data/image_integrity.h)
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)
# Distributed training uses c10d's Gloo process group, which libtorch_cpu exports; its header
# needs Gloo's own headers (libgloo-dev).
find_path(ALLOYML_GLOO_INCLUDE gloo/config.h)
if(NOT ALLOYML_GLOO_INCLUDE)
  message(FATAL_ERROR "gloo/config.h not found: install libgloo-dev (scripts/setup.sh does)")
endif()
if(ALLOYML_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

# The python peers used by parity tests and bench/ (optional; tests skip without them).
find_program(ALLOYML_REFERENCE_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
