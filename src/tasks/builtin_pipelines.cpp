// The tasks alloyml ships, in the order --list-models shows them. The one unit that names every
// task folder (scripts/check_layers.py holds every other unit to its own folder): a new task adds
// its make_*_pipeline here.
#include "alloyml/tasks/classification/pipeline.h"
#include "alloyml/tasks/cyclegan/pipeline.h"
#include "alloyml/tasks/gfa/pipeline.h"
#include "alloyml/tasks/pretrain/pipeline.h"
#include "alloyml/tasks/registry.h"
#include "alloyml/tasks/springback/pipeline.h"

namespace alloyml::tasks {

void register_builtin_pipelines(PipelineRegistry& r) {
  r.add(make_classification_pipeline());
  for (auto& p : make_classical_pipelines()) r.add(std::move(p));
  r.add(make_springback_pipeline());
  r.add(make_gfa_pipeline());
  r.add(make_cyclegan_pipeline());
  r.add(make_pretrain_pipeline());
}

}  // namespace alloyml::tasks
