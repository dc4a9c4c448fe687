# ALLOYML_SANITIZE=ON builds everything with ASan and UBSan (the asan-ubsan preset).
add_library(alloyml_sanitizers INTERFACE)
if(ALLOYML_SANITIZE)
  target_compile_options(alloyml_sanitizers INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(alloyml_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
