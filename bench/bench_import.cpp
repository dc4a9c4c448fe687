// Time to import weight files: read the .pth (zip + pickle + storages), build the model and copy
// the tensors in. bench/import.sh makes a torchvision resnet50 file (with python3-torchvision)
// and a timm-named seresnext101_32x4d file (alloyml's export) of the real sizes.
//   bench_import MODEL FILE.pth [MODEL FILE.pth ...]
#include <chrono>
#include <cstdio>
#include <string>

#include <torch/torch.h>

#include "alloyml/models/registry.h"
#include "alloyml/weights/load.h"

int main(int argc, char** argv) {
  torch::set_num_threads(2);
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arch = argv[i], file = argv[i + 1];
    double best = 1e30, read_s = 0;
    for (int rep = 0; rep < 3; ++rep) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto state = alloyml::weights::read_state_dict(file);
      const auto t1 = std::chrono::steady_clock::now();
      alloyml::models::ModelOptions o;
      o.name = arch;
      o.num_classes = 1000;
      auto model = alloyml::models::create_model(o);
      alloyml::weights::load_state_dict(*model, state, {}, file);
      const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (total < best) {
        best = total;
        read_s = std::chrono::duration<double>(t1 - t0).count();
      }
    }
    std::printf("{\"arch\": \"%s\", \"file\": \"%s\", \"seconds\": %.3f, \"read_seconds\": %.3f}\n", arch.c_str(),
                file.c_str(), best, read_s);
  }
  return 0;
}
