#pragma once
// The composition image a gfa run uses (data/composition_image.h), as model.json keeps it.
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/data/composition_image.h"
#include "alloyml/tasks/gfa/options.h"
#include "alloyml/tasks/gfa/table.h"

namespace alloyml::tasks {

config::Json encoding_to_json(const data::CompositionEncoding& e);
data::CompositionEncoding encoding_from_json(const config::Json& j, const std::string& source);

/// The encoding of a new run: the configured kind and properties over the listed elements, or
/// every element of the table.
data::CompositionEncoding encoding_for(const GfaOptions& options, const GfaTable& table);

}  // namespace alloyml::tasks
