// Writes a randomly initialised model as a .pth with torchvision/timm names (for bench/import.sh).
//   bench_export MODEL OUT.pth
#include <cstdio>
#include <string>

#include <torch/torch.h>

#include "alloyml/models/registry.h"
#include "alloyml/weights/load.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench_export MODEL OUT.pth\n");
    return 2;
  }
  alloyml::models::ModelOptions o;
  o.name = argv[1];
  o.num_classes = 1000;
  auto model = alloyml::models::create_model(o);
  alloyml::weights::write_state_dict(argv[2], alloyml::weights::state_dict_of(*model));
  return 0;
}
