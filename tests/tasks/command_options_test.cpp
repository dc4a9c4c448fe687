// Options the library declares for the command lines: names, defaults, what the user gave.
#include <gtest/gtest.h>

#include "alloyml/core/error.h"
#include "alloyml/tasks/command_options.h"

using namespace alloyml;
using namespace alloyml::tasks;

TEST(CommandOptions, LongNameIsTheKey) {
  EXPECT_EQ(option_name("--per-class,-n"), "per-class");
  EXPECT_EQ(option_name("-o,--output"), "output");
  EXPECT_EQ(option_name("formula"), "formula");
  EXPECT_EQ(option_name("-x"), "x");
}

TEST(CommandOptions, GivenValuesWinOverDefaults) {
  OptionValues v;
  v.set_default("size", "64");
  v.set_default("step", "2.5");
  v.set("size", {"128"});
  v.set("formula", {"Zr50Cu50", "Cu60Zr40"});
  v.set("curves", {"1"});
  EXPECT_TRUE(v.has("size"));
  EXPECT_FALSE(v.has("step"));
  EXPECT_EQ(v.integer("size"), 128);
  EXPECT_DOUBLE_EQ(v.number("step"), 2.5);
  EXPECT_EQ(v.list("formula").size(), 2u);
  EXPECT_TRUE(v.flag("curves"));
  EXPECT_FALSE(v.flag("straightness"));
  EXPECT_EQ(v.given(), (std::vector<std::string>{"curves", "formula", "size"}));
  EXPECT_THROW(v.text("output"), InputError);  // neither given nor defaulted
  v.set("rows", {"ten"});
  EXPECT_THROW(v.integer("rows"), InputError);
}

TEST(CommandOptions, FluentSpecRecordsKindDefaultAndChecks) {
  const auto s = OptionSpec("--size", "image side").integer(64).range(16, 4096);
  EXPECT_EQ(s.kind, OptionSpec::Kind::Integer);
  EXPECT_EQ(s.default_value, "64");
  EXPECT_EQ(*s.min, 16);
  EXPECT_EQ(OptionSpec("--tol", "").number(0.05).positive().default_value, "0.05");
  EXPECT_TRUE(OptionSpec("--in", "").required().existing_file().is_required);
}
