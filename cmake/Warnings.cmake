# alloyml_warnings: an interface target that turns warnings on for our own code only.
add_library(alloyml_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(alloyml_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow=local
                         -Wno-unused-parameter)
endif()
