// Config JSON as alloyml-train reads it: the file with its "extends" chain (load_config_chain), a
// --set override and the schema's checks (a small schema with every field type). The input is
// split at 0x00 bytes into c0.json (the config), c1.json and c2.json (configs it may extend); in
// c0's part, the text after the first newline is the override, as "model.width=TEXT". Refusals are
// InputErrors; nothing else may escape.
#include <cstdint>
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/core/error.h"
#include "fuzz_util.h"

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
  std::string parts[3];
  size_t from = 0;
  for (int k = 0; k < 3 && from <= text.size(); ++k) {
    const size_t end = k == 2 ? std::string::npos : text.find('\0', from);
    parts[k] = text.substr(from, end == std::string::npos ? std::string::npos : end - from);
    from = end == std::string::npos ? text.size() + 1 : end + 1;
  }
  const size_t nl = parts[0].find('\n');
  const std::string config = parts[0].substr(0, nl);
  std::string path;
  for (int k = 0; k < 3; ++k) {
    const std::string& body = k == 0 ? config : parts[k];
    const std::string p = alloyml::fuzz::scratch_file("c" + std::to_string(k) + ".json",
                                                      reinterpret_cast<const uint8_t*>(body.data()), body.size());
    if (k == 0) path = p;
  }
  try {
    Json doc = load_config_chain(path);
    if (nl != std::string::npos) apply_override(doc, "model.width=" + parts[0].substr(nl + 1));
    schema().resolve(doc, path);
  } catch (const alloyml::InputError&) {
  }
  (void)try_parse_json(text);
  return 0;
}
