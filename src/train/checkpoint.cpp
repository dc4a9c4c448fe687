#include "alloyml/train/checkpoint.h"

#include <algorithm>
#include <cctype>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/models/registry.h"
#include "alloyml/train/export.h"
#include "alloyml/weights/load.h"
#include "alloyml/weights/pth.h"

namespace alloyml::train {
namespace {

// Archive keys may not hold dots; parts are named by the tasks, so a bad name is a bug.
const std::string& checked(const std::string& name) {
  const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_';
  });
  if (!ok) throw Error("checkpoint part name '" + name + "' must be letters, digits and '_'");
  return name;
}

std::string tensor_key(const std::string& name) { return "tensor_" + checked(name); }

std::vector<std::string> keys_of(torch::serialize::InputArchive& archive) { return archive.keys(); }

}  // namespace

void save_checkpoint_file(const std::string& path, const CheckpointState& state) {
  torch::serialize::OutputArchive archive;
  for (const auto& [name, module] : state.modules) {
    torch::serialize::OutputArchive a;
    module->save(a);
    archive.write(checked(name), a);
  }
  for (const auto& [name, optimizer] : state.optimizers) {
    torch::serialize::OutputArchive a;
    optimizer->save(a);
    archive.write(checked(name), a);
  }
  for (const auto& [name, tensor] : state.tensors) archive.write(tensor_key(name), tensor->defined() ? *tensor : torch::empty({0}));
  // Scalars as one float64 tensor plus their names as bytes (archive keys may not hold dots).
  std::string names;
  std::vector<double> values;
  for (const auto& [k, v] : state.scalars) {
    names += k + "\n";
    values.push_back(v);
  }
  archive.write("extra_values", torch::tensor(values, torch::kFloat64));
  archive.write("extra_names",
                torch::from_blob(names.data(), {static_cast<int64_t>(names.size())}, torch::kUInt8).clone());
  // Built in memory, then written with every write checked: LibTorch's file writer throws from
  // its destructor on a full disk, which ends the process (std::terminate) with a stack trace.
  std::string bytes;
  archive.save_to([&bytes](const void* data, size_t size) {
    bytes.append(static_cast<const char*>(data), size);
    return size;
  });
  write_file_checked(path, bytes.data(), bytes.size());
}

Scalars load_checkpoint_file(const std::string& path, const CheckpointState& state) {
  weights::check_archive(path);  // LibTorch's reader trusts the storage sizes the file declares
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    const auto keys = keys_of(archive);
    auto require = [&](const std::string& key, const std::string& what) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        throw InputError(path + ": the checkpoint has no " + what + " '" + key + "'");
    };
    for (const auto& [name, module] : state.modules) {
      require(checked(name), "network");
      torch::serialize::InputArchive a;
      archive.read(name, a);
      module->load(a);
    }
    for (const auto& [name, optimizer] : state.optimizers) {
      require(checked(name), "optimiser");
      torch::serialize::InputArchive a;
      archive.read(name, a);
      optimizer->load(a);
    }
    for (const auto& [name, tensor] : state.tensors) {
      require(tensor_key(name), "tensor");
      archive.read(tensor_key(name), *tensor);
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
  } catch (...) {
    weights::rethrow_as_input_error(path + ": not a readable alloyml checkpoint");
  }
}

void save_checkpoint_file(const std::string& path, torch::nn::Module& model,
                          const std::vector<torch::optim::Optimizer*>& optimizers, const Scalars& extra) {
  CheckpointState s;
  s.modules["model"] = &model;
  for (size_t i = 0; i < optimizers.size(); ++i) s.optimizers["optim" + std::to_string(i)] = optimizers[i];
  s.scalars = extra;
  save_checkpoint_file(path, s);
}

Scalars load_checkpoint_file(const std::string& path, torch::nn::Module* model,
                             const std::vector<torch::optim::Optimizer*>& optimizers) {
  CheckpointState s;
  if (model) s.modules["model"] = model;
  for (size_t i = 0; i < optimizers.size(); ++i) s.optimizers["optim" + std::to_string(i)] = optimizers[i];
  return load_checkpoint_file(path, s);
}

void export_pth(const models::ModelOptions& options, const std::string& checkpoint, const std::string& out) {
  auto model = models::create_model(options);
  load_checkpoint_file(checkpoint, model.get(), {});
  weights::write_state_dict(out, weights::state_dict_of(*model));
}

}  // namespace alloyml::train
