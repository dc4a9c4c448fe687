#pragma once
// The config of image classification (task "classification", the default).
#include <string>

#include "alloyml/core/config.h"

namespace alloyml::tasks {

/// Every key of an image-classification config, with its default and meaning.
const config::Schema& classification_schema();

/// Checks across keys of a resolved config; InputError naming `source`.
void check_classification_config(const config::Json& resolved, const std::string& source);

}  // namespace alloyml::tasks
