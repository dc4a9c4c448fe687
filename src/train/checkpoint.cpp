#include "alloyml/train/checkpoint.h"

#include "alloyml/core/error.h"

namespace alloyml::train {

void save_checkpoint_file(const std::string& path, torch::nn::Module& model,
                          const std::vector<torch::optim::Optimizer*>& optimizers, const Scalars& extra) {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive model_archive;
  model.save(model_archive);
  archive.write("model", model_archive);
  for (size_t i = 0; i < optimizers.size(); ++i) {
    torch::serialize::OutputArchive a;
    optimizers[i]->save(a);
    archive.write("optim" + std::to_string(i), a);
  }
  // Scalars as one float64 tensor plus their names as bytes (archive keys may not hold dots).
  std::string names;
  std::vector<double> values;
  for (const auto& [k, v] : extra) {
    names += k + "\n";
    values.push_back(v);
  }
  archive.write("extra_values", torch::tensor(values, torch::kFloat64));
  archive.write("extra_names",
                torch::from_blob(names.data(), {static_cast<int64_t>(names.size())}, torch::kUInt8).clone());
  archive.save_to(path);
}

Scalars load_checkpoint_file(const std::string& path, torch::nn::Module* model,
                             const std::vector<torch::optim::Optimizer*>& optimizers) {
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    if (model) {
      torch::serialize::InputArchive m;
      archive.read("model", m);
      model->load(m);
    }
    for (size_t i = 0; i < optimizers.size(); ++i) {
      torch::serialize::InputArchive a;
      archive.read("optim" + std::to_string(i), a);
      optimizers[i]->load(a);
    }
    torch::Tensor values, names;
    archive.read("extra_values", values);
    archive.read("extra_names", names);
    const std::string text(reinterpret_cast<const char*>(names.data_ptr<uint8_t>()), static_cast<size_t>(names.numel()));
    Scalars extra;
    size_t start = 0, i = 0;
    const auto* v = values.data_ptr<double>();
    for (size_t nl = text.find('\n'); nl != std::string::npos; start = nl + 1, nl = text.find('\n', start), ++i) {
      if (static_cast<int64_t>(i) >= values.numel()) throw InputError(path + ": checkpoint scalars are inconsistent");
      extra[text.substr(start, nl - start)] = v[i];
    }
    return extra;
  } catch (const c10::Error& e) {
    throw InputError(path + ": not a readable alloyml checkpoint (" + e.msg().substr(0, 200) + ")");
  }
}

}  // namespace alloyml::train
