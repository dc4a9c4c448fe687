// precision auto: bf16 only where the CPU reports native bf16 (the detection mocked by flags).
#include <gtest/gtest.h>

#include "alloyml/core/error.h"
#include "alloyml/train/precision.h"

using namespace alloyml::train;

TEST(Precision, AutoPicksBf16OnlyWithTheInstructions) {
  const std::string spr = "fpu sse avx2 avx512f amx_bf16 amx_tile avx512_bf16";
  const std::string zen4 = "fpu avx2 avx512f avx512_bf16 avx512_vnni";
  const std::string skylake = "fpu sse avx2 avx512f avx512bw avx512_vnni";
  const std::string old = "fpu sse sse2 avx";
  EXPECT_EQ(choose_precision("auto", "cpu", spr, false).precision, "bf16");
  EXPECT_EQ(choose_precision("auto", "cpu", spr, false).reason, "auto: the CPU reports amx_bf16 and avx512_bf16");
  EXPECT_EQ(choose_precision("auto", "cpu", zen4, false).precision, "bf16");
  EXPECT_EQ(choose_precision("auto", "cpu", skylake, false).precision, "fp32");
  EXPECT_EQ(choose_precision("auto", "cpu", old, false).reason, "auto: the CPU reports neither amx_bf16 nor avx512_bf16");
  EXPECT_EQ(choose_precision("auto", "cpu", "", false).precision, "fp32");
  // A flag that only contains the name is not the flag.
  EXPECT_EQ(choose_precision("auto", "cpu", "xavx512_bf16x", false).precision, "fp32");
  EXPECT_EQ(choose_precision("auto", "cuda", spr, false).precision, "fp32");
  EXPECT_EQ(choose_precision("auto", "cuda", old, true).precision, "bf16");
  // Explicit choices are kept.
  EXPECT_EQ(choose_precision("bf16", "cpu", old, false).precision, "bf16");
  EXPECT_EQ(choose_precision("fp32", "cpu", spr, false).precision, "fp32");
  EXPECT_EQ(choose_precision("fp32", "cpu", spr, false).reason, "requested");
  EXPECT_THROW(choose_precision("fp16", "cpu", spr, false), alloyml::InputError);
}

TEST(Precision, Bf16AskedForWithoutTheInstructionsWarnsWithTheMissingFlags) {
  const std::string epyc_avx2 = "fpu sse sse2 avx avx2 fma";
  const std::string skylake = "fpu avx2 avx512f avx512dq avx512bw avx512vl avx512_vnni";
  const std::string zen4 = "fpu avx2 avx512f avx512dq avx512bw avx512vl avx512_bf16 avx512_vnni";
  auto c = choose_precision("bf16", "cpu", epyc_avx2, false);
  EXPECT_EQ(c.precision, "bf16");  // honoured: a warning, not a refusal
  EXPECT_EQ(c.reason, "requested");
  EXPECT_NE(c.warning.find("bf16 is emulated on this CPU"), std::string::npos) << c.warning;
  EXPECT_NE(c.warning.find("lacks avx512_bf16, amx_bf16, avx512bw, avx512vl, avx512dq"), std::string::npos) << c.warning;
  EXPECT_NE(c.warning.find("less accurate"), std::string::npos) << c.warning;
  // AVX-512 without bf16: oneDNN emulates the conversions, slower but summing in fp32.
  c = choose_precision("bf16", "cpu", skylake, false);
  EXPECT_NE(c.warning.find("lacks avx512_bf16 and amx_bf16)"), std::string::npos) << c.warning;
  EXPECT_EQ(c.warning.find("less accurate"), std::string::npos) << c.warning;
  // Native bf16, fp32 anywhere, auto anywhere: no warning.
  EXPECT_TRUE(choose_precision("bf16", "cpu", zen4, false).warning.empty());
  EXPECT_TRUE(choose_precision("fp32", "cpu", epyc_avx2, false).warning.empty());
  EXPECT_TRUE(choose_precision("auto", "cpu", epyc_avx2, false).warning.empty());
  EXPECT_TRUE(choose_precision("bf16", "cuda", epyc_avx2, true).warning.empty());
}

TEST(Precision, InferenceRewritesFollowThePrecisionAndTheCpu) {
  const std::string avx512 = "fpu avx2 avx512f avx512dq avx512bw avx512vl avx512_bf16";
  const std::string avx2 = "fpu sse avx2 fma";
  EXPECT_TRUE(cpu_runs_onednn_bf16(avx512));
  EXPECT_FALSE(cpu_runs_onednn_bf16(avx2));
  EXPECT_FALSE(cpu_runs_onednn_bf16("avx512bw avx512vl"));  // all three are needed
  // fp32 packs for oneDNN everywhere; bf16 only where oneDNN has bf16 convolutions, else the
  // dense path runs under autocast.
  auto o = inference_options("fp32", true, avx2);
  EXPECT_TRUE(o.onednn);
  EXPECT_FALSE(o.bf16);
  EXPECT_TRUE(o.channels_last);
  o = inference_options("bf16", false, avx512);
  EXPECT_TRUE(o.onednn);
  EXPECT_TRUE(o.bf16);
  o = inference_options("bf16", false, avx2);
  EXPECT_FALSE(o.onednn);
  EXPECT_TRUE(o.bf16);
}
