// The runtime set-up keeps freed memory in glibc's heap: a training step's tensors are then not
// mapped and faulted in anew every step (bench/README.md measures what that is worth).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "alloyml/core/error.h"
#include "alloyml/core/thread_pool.h"
#include "alloyml/train/options.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOYML_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define ALLOYML_ASAN 1
#endif

namespace {

TEST(Runtime, TensorSizedBlocksComeFromTheHeapAndStayThere) {
#if !defined(__GLIBC__) || defined(ALLOYML_ASAN)
  GTEST_SKIP() << "glibc's own allocator only";
#else
  alloyml::train::RuntimeOptions options;
  options.device = "cpu";
  alloyml::train::apply_runtime(options);
  const size_t mapped_before = mallinfo2().hblkhd;
  void* block = std::malloc(16u << 20);  // 16 MiB: glibc's default would map it
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, 16u << 20);
  EXPECT_EQ(mallinfo2().hblkhd, mapped_before) << "a 16 MiB block was mapped instead of taken from the heap";
  const size_t heap_with_block = mallinfo2().arena;
  std::free(block);
  EXPECT_EQ(mallinfo2().arena, heap_with_block) << "the heap was trimmed after freeing the block";
#endif
}

// --threads 0 (the default) reads OMP_NUM_THREADS as PyTorch does, else takes every core.
TEST(Runtime, DefaultThreadsFollowOmpNumThreads) {
  const char* old = std::getenv("OMP_NUM_THREADS");
  const std::string saved = old ? old : "";
  setenv("OMP_NUM_THREADS", "3", 1);
  EXPECT_EQ(alloyml::default_threads(), 3u);
  setenv("OMP_NUM_THREADS", "2,1", 1);  // nested levels: the outer one
  EXPECT_EQ(alloyml::default_threads(), 2u);
  for (const char* bad : {"zero", "0", "4x", "-1"}) {
    setenv("OMP_NUM_THREADS", bad, 1);
    try {
      alloyml::default_threads();
      ADD_FAILURE() << "OMP_NUM_THREADS=" << bad << " was accepted";
    } catch (const alloyml::InputError& e) {
      EXPECT_NE(std::string(e.what()).find("OMP_NUM_THREADS is '" + std::string(bad) + "'"), std::string::npos) << e.what();
    }
  }
  unsetenv("OMP_NUM_THREADS");
  EXPECT_GE(alloyml::default_threads(), 1u);
  if (old) setenv("OMP_NUM_THREADS", saved.c_str(), 1);
}

}  // namespace
