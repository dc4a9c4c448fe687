// Config JSON as alloyml-train reads it: the file (parse_json), a --set override (the input after
// its first newline, as "model.width=TEXT") and the schema's checks (a small schema with every
// field type). Refusals are InputErrors; nothing else may escape.
#include <cstdint>
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/core/error.h"

using namespace alloyml::config;

namespace {
const Schema& schema() {
  static const Schema s = [] {
    Schema x;
    x.add(ranged(f("version", Type::Int, 1, "version"), 1, 1));
    x.add(nullable(f("name", Type::String, nullptr, "name")));
    x.add(ranged(f("seed", Type::Int, 0, "seed"), 0, {}));
    x.add(one_of(f("model.name", Type::String, "resnet18", "model"), {"resnet18", "resnet50"}));
    x.add(ranged(f("model.width", Type::Int, 64, "width"), 8, 1024));
    x.add(ranged(f("optim.lr", Type::Number, 0.001, "lr"), 0, 10));
    x.add(f("input.mean", Type::NumberList, Json::array({0.5}), "mean"));
    x.add(f("data.classes", Type::StringList, Json::array(), "classes"));
    x.add(f("schedule.milestones", Type::IntList, Json::array({30, 60}), "milestones"));
    x.add(f("augment.hflip", Type::Bool, false, "hflip"));
    x.add(f("extra.any", Type::Any, nullptr, "anything"));
    return x;
  }();
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t nl = text.find('\n');
  try {
    Json doc = parse_json(text.substr(0, nl), "fuzz.json");
    if (nl != std::string::npos) apply_override(doc, "model.width=" + text.substr(nl + 1));
    if (doc.is_object()) schema().resolve(doc, "fuzz.json");
    (void)try_parse_json(text);
  } catch (const alloyml::InputError&) {
  }
  return 0;
}
