// PyTorch weight files (torch.save zip + pickle, TorchScript archives, checkpoints), as
// alloyml-predict --weights and model.pretrained read them: refusals are InputErrors.
#include <cstdint>

#include "alloyml/core/error.h"
#include "alloyml/weights/pth.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = alloyml::fuzz::scratch_file("input.pth", data, size);
  try {
    (void)alloyml::weights::read_state_dict(path);
  } catch (const alloyml::InputError&) {
  }
  return 0;
}
