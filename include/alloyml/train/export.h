#pragma once
// A trained network handed to Python: torch-free, for the tasks' export commands.
#include <string>

#include "alloyml/models/options.h"

namespace alloyml::train {

/// Writes the weights of a training checkpoint (the network `options` builds) as a .pth that
/// Python's torch.load + load_state_dict accept for the matching torchvision/timm model.
void export_pth(const models::ModelOptions& options, const std::string& checkpoint, const std::string& out);

}  // namespace alloyml::train
