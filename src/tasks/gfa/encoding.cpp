#include "encoding.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/data/elements.h"

namespace alloyml::tasks {

using config::Json;

Json encoding_to_json(const data::CompositionEncoding& e) {
  std::vector<std::string> symbols;
  for (int z : e.elements) symbols.push_back(data::element_symbol(z));
  return Json{{"kind", e.kind}, {"elements", symbols}, {"properties", e.properties}, {"size", e.size}};
}

data::CompositionEncoding encoding_from_json(const Json& j, const std::string& source) {
  try {
    data::CompositionEncoding e;
    e.kind = j.at("kind").get<std::string>();
    for (const auto& s : j.at("elements")) {
      const int z = data::atomic_number(s.get<std::string>());
      if (z == 0) throw InputError(source + ": encoding.elements: unknown element '" + s.get<std::string>() + "'");
      e.elements.push_back(z);
    }
    std::sort(e.elements.begin(), e.elements.end());
    e.properties = j.at("properties").get<std::vector<std::string>>();
    e.size = j.at("size").get<int>();
    return e;
  } catch (const Json::exception& ex) {
    throw InputError(source + ": the composition encoding is incomplete (" + ex.what() + ")");
  }
}

data::CompositionEncoding encoding_for(const GfaOptions& o, const GfaTable& table) {
  data::CompositionEncoding e;
  e.kind = o.encoding.kind;
  e.properties = o.encoding.properties;
  e.size = o.encoding.size;
  if (e.size == 0 && !o.model.pretrained.empty()) {
    e.size = 224;  // ImageNet weights saw 224 px images
    spdlog::info("encoding.size 0 with model.pretrained: composition images are resized to 224 px");
  }
  std::vector<data::Composition> comps;
  for (const auto& r : table.rows) comps.push_back(r.composition);
  const auto& listed = o.data.elements;
  e.elements = listed.empty() ? data::element_union(comps) : data::parse_element_list(join(listed, " "));
  return e;
}

}  // namespace alloyml::tasks
